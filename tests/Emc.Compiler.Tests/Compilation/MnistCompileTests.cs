using Emc.Compiler.Compilation;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;
using Emc.Tests;

namespace Emc.Compiler.Tests.Compilation;

[TestClass]
[TestCategory(TestCategories.Slow)]
public sealed class MnistCompileTests
{
    private const int Calibration = 64;
    private const int Evaluated = 300;

    [TestMethod]
    [DataRow("mnist-tiny-3x3_pytorch_joeylical", "mnist.onnx", 2f / 255, -1f)]
    [DataRow("mnist-cnn_pytorch_baskov", "mnist_cnn_pytorch.onnx", 2f / 255, -1f)]
    [DataRow("mnist-12_onnx-model-zoo", "mnist-12.onnx", 1f, 0f, DisplayName = "mnist-12 (two 5×5 convs through stacked shifted windows)")]
    public void CompiledModelKeepsFloatAccuracy(string folder, string file, float scale, float offset)
    {
        string onnx = TestData.Path("real-onnx", folder, file);
        var (images, labels) = Mnist.Load(Calibration + Evaluated);
        // The PyTorch models take (x/255 − 0.5)/0.5, the input range [−1, 1]; mnist-12 takes raw pixels 0..255.
        string dataset = Mnist.WriteNpy(images[..Calibration], scale, offset);
        try
        {
            var options = new CompileOptions { Dataset = [dataset], InputRange = (offset, offset + (255 * scale)) };
            var result = KmodelCompiler.Compile(onnx, options);
            Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
            var file2 = KmodelReader.Read(result.Kmodel!).Value!;
            var simulator = KmodelSimulator.Create(file2).Value!;
            var graph = OnnxImporter.Import(onnx).Value!;
            var evaluator = new ReferenceEvaluator(graph);

            // The interface the firmware and the C#/C generators see is the ONNX model's: [1,1,28,28] uint8 in, [1,10] float out.
            var iface = result.Interface!;
            CollectionAssert.AreEqual(graph.Inputs[0].Shape!.ToArray(), iface.Inputs[0].Shape.ToArray());
            CollectionAssert.AreEqual(graph.Outputs[0].Shape!.ToArray(), iface.Outputs[0].Shape.ToArray());
            Assert.AreEqual(graph.Outputs[0].Name, iface.Outputs[0].Name);
            Assert.AreEqual(file2.Outputs[0].Size, (uint)(4 * iface.Outputs[0].Shape.Aggregate(1, (a, d) => a * d)), "kmodel output table size = float32 elements of the interface shape");
            int floatCorrect = 0, kmodelCorrect = 0;
            for (int i = Calibration; i < Calibration + Evaluated; i++)
            {
                var x = images[i].Select(p => (p * scale) + offset).ToArray();
                var expected = evaluator.Run(Tensor.Create(graph.Inputs[0].Shape!, x))[0].ToFloatArray();
                var got = simulator.Run(images[i]).Outputs[0].AsFloat32()!;
                floatCorrect += ArgMax(expected) == labels[i] ? 1 : 0;
                kmodelCorrect += ArgMax(got) == labels[i] ? 1 : 0;
            }

            Console.WriteLine($"{folder}: float {floatCorrect}/{Evaluated}, kmodel {kmodelCorrect}/{Evaluated}, {result.Kmodel!.Length} bytes, main {result.Report!.MainMemoryUsage}, SQNR {result.Report.Accuracy[0].SqnrDb:F1} dB");
            Assert.IsTrue(kmodelCorrect >= floatCorrect - (Evaluated / 100), $"kmodel {kmodelCorrect} vs float {floatCorrect} of {Evaluated}");
        }
        finally
        {
            Directory.Delete(dataset, true);
        }
    }

    internal static int ArgMax(float[] v)
    {
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
}
