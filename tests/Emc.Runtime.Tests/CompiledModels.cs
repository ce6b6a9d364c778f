using System.IO.Compression;
using System.Text;
using Emc.Compiler;
using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Imaging;
using Emc.Onnx.Protobuf;
using Emc.Tests;

namespace Emc.Runtime.Tests;

/// <summary>kmodels our compiler produces (MobileNetV1-0.25, the MNIST nets, seeded random networks) and their inputs.</summary>
internal static class CompiledModels
{
    private static readonly Lazy<byte[]> s_mobileNet = new(CompileMobileNet);

    public static byte[] MobileNet => s_mobileNet.Value;

    /// <summary>Three dataset images as the device takes them (224×224 planar RGB).</summary>
    public static IEnumerable<byte[]> MobileNetImages()
    {
        string images = TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset");
        return Directory.GetFiles(images, "*.JPEG").Order(StringComparer.Ordinal).Skip(16).Take(3)
            .Select(p => ImagePreprocessor.ToChwBytes(ImageDecoder.Load(p).Value!, 224, 224).Value!);
    }

    /// <summary>An MNIST ONNX net compiled on 64 t10k images (input range [−1, 1]), and the next <paramref name="count"/> images.</summary>
    public static (byte[] Kmodel, byte[][] Images) Mnist(string folder, string file, int count)
    {
        const int Calibration = 64;
        byte[] idx = Gunzip(TestData.Path("real-onnx", "mnist-t10k", "t10k-images-idx3-ubyte.gz"));
        byte[][] images = Enumerable.Range(0, Calibration + count).Select(i => idx.AsSpan(16 + (i * 784), 784).ToArray()).ToArray();
        string dir = NewTempDirectory();
        try
        {
            for (int i = 0; i < Calibration; i++)
            {
                WriteNpy(Path.Combine(dir, $"{i:D4}.npy"), images[i].Select(p => (p * 2f / 255) - 1).ToArray(), "(1, 1, 28, 28)");
            }

            var result = KmodelCompiler.Compile(TestData.Path("real-onnx", folder, file), new CompileOptions { Dataset = [dir], InputRange = (-1f, 1f) });
            Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
            return (result.Kmodel!, images[Calibration..]);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    /// <summary>An in-memory ONNX model compiled on uint8 samples read as x = q/255 (input range [0, 1]).</summary>
    public static byte[] Compile(ModelProto model, IReadOnlyList<byte[]> samples, CompileOptions options)
    {
        var imported = OnnxImporter.Import(model);
        Assert.IsNotNull(imported.Value, string.Join(Environment.NewLine, imported.Diagnostics));
        string dir = NewTempDirectory();
        try
        {
            for (int i = 0; i < samples.Count; i++)
            {
                float[] x = samples[i].Select(q => q / 255f).ToArray();
                WriteNpy(Path.Combine(dir, $"{i:D3}.npy"), x, $"({x.Length},)");
            }

            var result = KmodelCompiler.Compile(imported.Value, options with { Dataset = [dir], InputRange = (0f, 1f) });
            Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
            return result.Kmodel!;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    public static List<byte[]> RandomSamples(int count, int length, int seed)
    {
        var random = new Random(seed);
        var result = new List<byte[]>();
        for (int i = 0; i < count; i++)
        {
            var b = new byte[length];
            random.NextBytes(b);
            result.Add(b);
        }

        return result;
    }

    private static byte[] CompileMobileNet()
    {
        string onnx = TestData.Path("mobilenetv1-0.25-imagenet", "model.onnx");
        var dataset = Directory.GetFiles(TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset"), "*.JPEG").Order(StringComparer.Ordinal).Take(16).ToList();
        var result = KmodelCompiler.Compile(onnx, new CompileOptions { Dataset = dataset, InputRange = (-1f, 1f) });
        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Kmodel!;
    }

    private static string NewTempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "emcrt-compile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static void WriteNpy(string path, float[] values, string shape)
    {
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        header = header.PadRight(118) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, .. Encoding.ASCII.GetBytes("NUMPY"), 1, 0, (byte)header.Length, 0]);
        stream.Write(Encoding.ASCII.GetBytes(header));
        foreach (float v in values)
        {
            stream.Write(BitConverter.GetBytes(v));
        }
    }

    private static byte[] Gunzip(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
