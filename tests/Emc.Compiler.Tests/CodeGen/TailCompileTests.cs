using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Compiler.Tests.Compilation;
using Emc.Compiler.Tests.Differential;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;
using Emc.Onnx.Protobuf;
using Emc.Tests;
using Google.Protobuf;

namespace Emc.Compiler.Tests.CodeGen;

/// <summary>
/// A small detector-like net (convs, then a head Transpose/Reshape, box Sigmoid·16, class Softmax and ArgMax) through
/// <see cref="KmodelCompiler"/> with <c>--tail auto</c>: the tail (int64 ArgMax output included) is generated, and the
/// header's whole run (C runtime + C tail) and the wrapper's (simulator + C# tail) match ONNX Runtime within the device
/// part's quantization error.
/// </summary>
[TestClass]
public sealed class TailCompileTests
{
    private static readonly Lazy<ModelProto> s_model = new(Detector);

    [TestMethod]
    public void TailAutoGeneratesTheTailAndWithoutItOnlyTheCutIsSuggested()
    {
        var result = Compile(autoTail: true);
        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.IsNotNull(result.Tail);
        CollectionAssert.AreEqual(new[] { false, false, true }, result.Tail.Outputs.Select(o => o.IsInt64).ToArray());
        var note = result.Diagnostics.Single(d => d.Code == CompilerDiagnostics.TailCode.Code);
        StringAssert.Contains(note.Message, "ArgMax");

        var plain = Compile(autoTail: false);
        Assert.IsFalse(plain.Succeeded);
        Assert.IsTrue(plain.Diagnostics.Any(d => d.Code == CompilerDiagnostics.OutputsSuggestion.Code), string.Join(Environment.NewLine, plain.Diagnostics));
    }

    [TestMethod]
    [TestCategory(TestCategories.Slow)]
    public void WholeRunInCAndCSharpMatchesOnnxRuntimeWithinTheDevicePartsError()
    {
        var result = Compile(autoTail: true);
        var model = GeneratedModelReader.Describe("det", "det.onnx", result.Kmodel!, result.Interface!, result.Report).Value! with { Tail = result.Tail };
        var input = result.Interface!.Inputs[0];
        var random = new Random(3);
        var runs = new List<TailRun>();
        var ort = new List<IReadOnlyList<Tensor>>();
        for (int i = 0; i < 3; i++)
        {
            byte[] bytes = new byte[3 * 16 * 16];
            random.NextBytes(bytes);
            float[] x = bytes.Select(q => (q * input.Scale) + input.Bias).ToArray();
            ort.Add(OrtOracle.Run(s_model.Value.ToByteArray(), Tensor.Create(new Shape(1, 3, 16, 16), x)));
            runs.Add(new TailRun("det" + i, model with { Identifier = "det" + i }, [], bytes));
        }

        var c = TailHarness.RunC(runs);
        var cs = TailHarness.RunCSharp(runs);
        double devicePart = result.Report!.Accuracy.Min(a => a.SqnrDb);
        for (int r = 0; r < runs.Count; r++)
        {
            for (int o = 0; o < 3; o++)
            {
                TailHarness.AssertClose(c[r][o], cs[r][o], $"run {r} output {o}: C runtime + C tail vs simulator + C# tail");
            }

            float[] boxes = ort[r][0].ToFloatArray(), scores = ort[r][1].ToFloatArray();
            long[] classes = ort[r][2].ToInt64Array();
            double boxDb = Sqnr(boxes, c[r][0]), scoreDb = Sqnr(scores, c[r][1]);
            Console.WriteLine($"run {r}: boxes {boxDb:F1} dB, scores {scoreDb:F1} dB vs ORT; device part {devicePart:F1} dB");
            Assert.IsGreaterThanOrEqualTo(devicePart - 3, boxDb, "boxes");
            Assert.IsGreaterThanOrEqualTo(devicePart - 3, scoreDb, "scores");
            for (int a = 0; a < classes.Length; a++)
            {
                // Where ORT's two scores are further apart than the quantization error, the class must be the same.
                if (Math.Abs(scores[2 * a] - scores[(2 * a) + 1]) > 0.1)
                {
                    Assert.AreEqual(classes[a], (long)c[r][2][a], $"run {r} anchor {a}: class");
                }
            }
        }
    }

    private static CompileResult Compile(bool autoTail)
    {
        var graph = OnnxImporter.Import(s_model.Value).Value!;
        return KmodelCompiler.Compile(graph, new CompileOptions { InputRange = (0f, 1f), AutoTail = autoTail });
    }

    private static ModelProto Detector()
    {
        var random = new Random(8);
        var b = new OnnxNetBuilder("x", 1, 3, 16, 16);
        string features = b.Node("Relu", [b.RandomConv("x", 3, 8, 3, random)]);
        string head = b.RandomConv(features, 8, 6, 1, random);
        string rows = b.Node("Reshape", [b.Node("Transpose", [head], ("perm", new[] { 0, 2, 3, 1 })), b.Int64Constant(1, 256, 6)]);
        string box = b.Node("Slice", [rows, b.Int64Constant(0), b.Int64Constant(4), b.Int64Constant(2)]);
        string boxes = b.Node("Mul", [b.Node("Sigmoid", [box]), b.Constant([16f], 1)]);
        string scores = b.Node("Softmax", [b.Node("Slice", [rows, b.Int64Constant(4), b.Int64Constant(6), b.Int64Constant(2)])], ("axis", -1));
        string classes = b.Node("ArgMax", [scores], ("axis", -1), ("keepdims", 0));
        return b.BuildTyped((boxes, 1), (scores, 1), (classes, 7));
    }

    private static double Sqnr(float[] want, double[] got)
    {
        double signal = 0, noise = 0;
        for (int i = 0; i < want.Length; i++)
        {
            signal += (double)want[i] * want[i];
            noise += (want[i] - got[i]) * (want[i] - got[i]);
        }

        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }
}
