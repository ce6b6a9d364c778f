using Emc.Compiler.CodeGen;
using Emc.Compiler.CodeGen.Tail;
using Emc.Compiler.Compilation;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Compiler.Tests.Differential;
using Google.Protobuf;

namespace Emc.Compiler.Tests.CodeGen;

/// <summary>
/// Issue 16 item 8: every tail op generator, compiled as C99 (gcc -Wall -Wextra -Werror -pedantic) and as C# (csc), run on
/// random inputs and compared with ONNX Runtime and the float evaluator to ~1e-5 relative (<see cref="TailHarness.AssertClose"/>).
/// </summary>
[TestClass]
public sealed class TailCodegenTests
{
    private static readonly Lazy<(IReadOnlyList<TailRun> Runs, IReadOnlyList<List<double[]>> Evaluator, IReadOnlyList<TailOpCase> Cases)> s_prepared = new(Prepare);

    [TestMethod]
    public void EveryCaseIsGeneratedAndTheEvaluatorAgreesWithOnnxRuntime()
    {
        var (runs, evaluator, cases) = s_prepared.Value;
        var ort = Ort(runs, cases);
        for (int r = 0; r < runs.Count; r++)
        {
            for (int o = 0; o < ort[r].Count; o++)
            {
                TailHarness.AssertClose(ort[r][o], evaluator[r][o], $"{runs[r].Id} evaluator output {o}");
            }
        }
    }

    [TestMethod]
    public void GeneratedCMatchesOnnxRuntimeAndTheEvaluator()
    {
        var (runs, evaluator, cases) = s_prepared.Value;
        var c = TailHarness.RunC(runs);
        var ort = Ort(runs, cases);
        for (int r = 0; r < runs.Count; r++)
        {
            for (int o = 0; o < runs[r].Tail.Outputs.Count; o++)
            {
                TailHarness.AssertClose(ort[r][o], c[r][o], $"{runs[r].Id} C output {o} vs ORT");
                TailHarness.AssertClose(evaluator[r][o], c[r][o], $"{runs[r].Id} C output {o} vs evaluator");
            }
        }
    }

    [TestMethod]
    public void GeneratedCSharpMatchesOnnxRuntimeAndTheEvaluator()
    {
        var (runs, evaluator, cases) = s_prepared.Value;
        var cs = TailHarness.RunCSharp(runs);
        var ort = Ort(runs, cases);
        for (int r = 0; r < runs.Count; r++)
        {
            for (int o = 0; o < runs[r].Tail.Outputs.Count; o++)
            {
                TailHarness.AssertClose(ort[r][o], cs[r][o], $"{runs[r].Id} C# output {o} vs ORT");
                TailHarness.AssertClose(evaluator[r][o], cs[r][o], $"{runs[r].Id} C# output {o} vs evaluator");
            }
        }
    }

    [TestMethod]
    public void EveryTailCompilesAsCpp17InOneTranslationUnit() => TailHarness.CompileAsCpp(s_prepared.Value.Runs);

    [TestMethod]
    public void GeneratedCodeIsDeterministic()
    {
        var run = s_prepared.Value.Runs.Single(r => r.Id == "box_decode");
        var again = Prepare().Runs.Single(r => r.Id == "box_decode");
        Assert.AreEqual(CHeaderGenerator.Generate(run.Model), CHeaderGenerator.Generate(again.Model));
        var options = new CSharpWrapperOptions("T", "Box", null, Public: true);
        Assert.AreEqual(CSharpWrapperGenerator.Generate(run.Model, options), CSharpWrapperGenerator.Generate(again.Model, options));
    }

    [TestMethod]
    public void AnOpWithoutAGeneratorIsNamedAndNothingIsGenerated()
    {
        var b = new Compilation.OnnxNetBuilder("x", 1, 2, 8, 8);
        // Training-mode Dropout's mask is not generated (the tail runs inference only).
        string[] dropped = b.NodeWithOutputs("Dropout", ["x"], 2);
        var graph = OnnxImporter.Import(b.Build(b.Node("Softmax", [dropped[0]]), b.Node("Cast", [dropped[1]], ("to", 1)))).Value!;
        var tail = HostTail.Extract(graph, ["x"])!;

        Assert.IsFalse(tail.IsGenerated);
        Assert.HasCount(1, tail.Unsupported);
        StringAssert.StartsWith(tail.Unsupported[0], "Dropout '");
        var run = TailRun.Alone("pool", tail, [new TensorInterface("x", [1, 2, 8, 8], InterfaceElementType.Float32, 1, 0)], []);
        Assert.DoesNotContain("_tail(", CHeaderGenerator.Generate(run.Model));
        Assert.DoesNotContain("Tail(", CSharpWrapperGenerator.Generate(run.Model, new CSharpWrapperOptions("T", "Pool", null, Public: true)));
    }

    private static (IReadOnlyList<TailRun> Runs, IReadOnlyList<List<double[]>> Evaluator, IReadOnlyList<TailOpCase> Cases) Prepare()
    {
        var runs = new List<TailRun>();
        var evaluated = new List<List<double[]>>();
        var cases = TailOpCases.All();
        var random = new Random(17);
        foreach (var c in cases)
        {
            var imported = OnnxImporter.Import(c.Model);
            var graph = imported.Value ?? throw new AssertFailedException(c.Name + " does not import: " + string.Join("; ", imported.Diagnostics));
            var tail = HostTail.Extract(graph, c.Inputs.Select(i => i.Name).ToList())!;
            Assert.IsTrue(tail.IsGenerated, c.Name + ": " + string.Join("; ", tail.Unsupported));
            var inputs = c.Inputs.Select(i => Tensor.Create(new Shape(i.Dims), Enumerable.Range(0, i.Dims.Aggregate(1, (a, d) => a * d))
                .Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray())).ToArray();
            var device = c.Inputs.Select(i => new TensorInterface(i.Name, i.Dims, InterfaceElementType.Float32, 1, 0)).ToList();
            runs.Add(TailRun.Alone(c.Name, tail, device, inputs.SelectMany(t => t.Data).ToArray()));
            evaluated.Add(new ReferenceEvaluator(graph).Run(inputs).Select(Doubles).ToList());
        }

        return (runs, evaluated, cases);
    }

    private static List<List<double[]>> Ort(IReadOnlyList<TailRun> runs, IReadOnlyList<TailOpCase> cases)
    {
        var ortCases = new List<OrtCase>();
        for (int r = 0; r < runs.Count; r++)
        {
            var inputs = new List<Tensor>();
            int offset = 0;
            foreach (var (_, dims) in cases[r].Inputs)
            {
                int n = dims.Aggregate(1, (a, d) => a * d);
                inputs.Add(Tensor.Create(new Shape(dims), runs[r].Input.AsSpan(offset, n).ToArray()));
                offset += n;
            }

            ortCases.Add(new OrtCase(runs[r].Id, cases[r].Model.ToByteArray(), inputs));
        }

        return OrtOracle.Run(ortCases).Select(o => o.Error is null ? o.Outputs.Select(Doubles).ToList() : throw new AssertFailedException(o.Name + ": " + o.Error)).ToList();
    }

    private static double[] Doubles(Tensor t) => t.Type == DataType.Int64 ? t.ToInt64Array().Select(v => (double)v).ToArray() : t.ToFloatArray().Select(v => (double)v).ToArray();
}
