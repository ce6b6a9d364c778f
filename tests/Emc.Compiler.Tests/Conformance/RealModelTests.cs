using System.IO.Compression;
using System.Runtime.InteropServices;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Compiler.Tests.Differential;
using Emc.Compiler.Tests.Support;
using Emc.Diagnostics;
using Emc.Onnx;
using Emc.Onnx.Protobuf;
using Emc.Tests;

namespace Emc.Compiler.Tests.Conformance;

/// <summary>Real trained models (../shared/testdata/real-onnx) evaluated by us: stored reference outputs, the labels
/// PROVENANCE.md gives, and ONNX Runtime on the same input where no stored output exists.</summary>
[TestClass]
[TestCategory(TestCategories.Conformance)]
public sealed class RealModelTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Mnist12_matches_the_model_zoo_outputs_and_labels()
    {
        string folder = TestData.Path("real-onnx", "mnist-12_onnx-model-zoo");
        ModelProto model = Load(Path.Combine(folder, "mnist-12.onnx"));
        int[] expectedLabels = [2, 0, 9];
        for (int set = 0; set < 3; set++)
        {
            string dir = Path.Combine(folder, $"test_data_set_{set}");
            Tensor input = ReadTensor(Path.Combine(dir, "input_0.pb"));
            Tensor expected = ReadTensor(Path.Combine(dir, "output_0.pb"));
            Tensor actual = RunSingle(model, input);
            TensorComparison.AssertClose(expected, actual, ConformanceExpectations.Rtol, ConformanceExpectations.Atol, $"test_data_set_{set}");
            Assert.AreEqual(expectedLabels[set], ArgMax(actual), $"test_data_set_{set} argmax");
        }
    }

    [TestMethod]
    public void MnistTiny_classifies_its_ten_samples_as_labelled()
    {
        string folder = TestData.Path("real-onnx", "mnist-tiny-3x3_pytorch_joeylical");
        ModelProto model = Load(Path.Combine(folder, "mnist.onnx"));
        var files = Directory.GetFiles(Path.Combine(folder, "inputs"), "img_*.dat").Order(StringComparer.Ordinal).ToList();
        Assert.HasCount(10, files);
        foreach (string file in files)
        {
            int label = int.Parse(Path.GetFileNameWithoutExtension(file).Split('_')[2], System.Globalization.CultureInfo.InvariantCulture);
            float[] pixels = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(file)).ToArray();
            Tensor output = RunSingle(model, Tensor.Create(new Shape(1, 1, 28, 28), pixels));
            Assert.AreEqual(new Shape(1, 10), output.Shape);
            Assert.AreEqual(label, ArgMax(output), Path.GetFileName(file));
        }
    }

    [TestMethod]
    public void MnistCnnPytorch_classifies_the_first_twelve_test_images()
    {
        ModelProto model = Load(TestData.Path("real-onnx", "mnist-cnn_pytorch_baskov", "mnist_cnn_pytorch.onnx"));
        byte[] images = Gunzip(TestData.Path("real-onnx", "mnist-t10k", "t10k-images-idx3-ubyte.gz"));
        byte[] labels = Gunzip(TestData.Path("real-onnx", "mnist-t10k", "t10k-labels-idx1-ubyte.gz"));
        Assert.AreEqual(0x803, BigEndian(images, 0), "IDX image magic");
        Assert.AreEqual(0x801, BigEndian(labels, 0), "IDX label magic");
        Assert.AreEqual(28, BigEndian(images, 8));
        Assert.AreEqual(28, BigEndian(images, 12));

        for (int i = 0; i < 12; i++)
        {
            var pixels = new float[28 * 28];
            for (int p = 0; p < pixels.Length; p++)
            {
                pixels[p] = (images[16 + i * 784 + p] / 255f - 0.5f) / 0.5f;
            }

            Tensor output = RunSingle(model, Tensor.Create(new Shape(1, 1, 28, 28), pixels));
            Assert.AreEqual(new Shape(1, 10), output.Shape, "dynamic batch imports as 1");
            Assert.AreEqual(labels[8 + i], ArgMax(output), $"t10k image {i}");
        }
    }

    /// <summary>No stored output exists; ONNX Runtime on the upstream pre-processed input (uint8 CHW → float) is the reference.</summary>
    [TestMethod]
    public void YoloxNano_evaluates_like_onnx_runtime()
    {
        string path = TestData.Path("real-onnx", "yolox-nano-224_nncase-v1.0.0", "yolox_nano_224.onnx");
        byte[] raw = File.ReadAllBytes(TestData.Path("real-onnx", "yolox-nano-224_nncase-v1.0.0", "input.bin"));
        Assert.AreEqual(3 * 224 * 224, raw.Length);
        Tensor input = Tensor.Create(new Shape(1, 3, 224, 224), raw.Select(b => (float)b).ToArray());
        Tensor ours = RunSingle(Load(path), input);
        Assert.AreEqual(new Shape(1, 1029, 85), ours.Shape);
        Assert.IsTrue(ours.ToFloatArray().All(float.IsFinite), "all outputs finite");

        Tensor ort = OrtOracle.Run(File.ReadAllBytes(path), input)[0];
        TensorComparison.AssertClose(ort, ours, 1e-3, 1e-3, "YOLOX-nano vs ONNX Runtime");
    }

    [TestMethod]
    public void SuperResolution_evaluates_like_onnx_runtime()
    {
        string path = TestData.Path("real-onnx", "super-resolution_onnx-model-zoo", "super_resolution.onnx");
        var random = new Random(11);
        Tensor input = Tensor.Create(new Shape(1, 1, 224, 224), Enumerable.Range(0, 224 * 224).Select(_ => (float)random.NextDouble()).ToArray());
        Tensor ours = RunSingle(Load(path), input);
        Assert.AreEqual(new Shape(1, 1, 672, 672), ours.Shape);

        Tensor ort = OrtOracle.Run(File.ReadAllBytes(path), input)[0];
        TensorComparison.AssertClose(ort, ours, 1e-4, 1e-5, "super-resolution vs ONNX Runtime");
    }

    private static ModelProto Load(string path)
    {
        Result<ModelProto> loaded = OnnxModelLoader.Load(path);
        Assert.IsNotNull(loaded.Value, string.Join("\n", loaded.Diagnostics));
        return loaded.Value;
    }

    private static Tensor RunSingle(ModelProto model, Tensor input)
    {
        ModelRunner.Outcome outcome = ModelRunner.Run(model, null, [input]);
        Assert.IsTrue(outcome.Succeeded, outcome.DiagnosticText);
        return outcome.Outputs![0];
    }

    private static Tensor ReadTensor(string path)
    {
        Result<Tensor> read = TensorProtoConverter.ReadFile(path);
        Assert.IsNotNull(read.Value, string.Join("\n", read.Diagnostics));
        return read.Value;
    }

    private static int ArgMax(Tensor t)
    {
        float[] v = t.ToFloatArray();
        int best = 0;
        for (int i = 1; i < v.Length; i++)
        {
            if (v[i] > v[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    private static int BigEndian(byte[] data, int offset) =>
        (data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3];
}
