using Emc.Compiler.Ir;
using Emc.Compiler.Tests.Support;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Differential;

/// <summary>A generated model with its inputs, run by both ONNX Runtime and our importer + evaluator.</summary>
public sealed record DifferentialCase(string Name, ModelProto Model, IReadOnlyList<Tensor> Inputs)
{
    public static DifferentialCase From(string name, OnnxModelBuilder builder, params Tensor[] inputs) =>
        new(name, builder.ToModel(), inputs);
}

/// <summary>Runs a batch of cases through ORT (one node process) and ours; collects every mismatch.</summary>
internal static class DifferentialRunner
{
    public const double Rtol = 1e-4;
    public const double Atol = 1e-5;

    public static void AssertAllAgree(IReadOnlyList<DifferentialCase> cases, TestContext? log = null, double rtol = Rtol, double atol = Atol)
    {
        IReadOnlyList<OrtOutcome> oracle = OrtOracle.Run(cases.Select(c => new OrtCase(c.Name, Google.Protobuf.MessageExtensions.ToByteArray(c.Model), c.Inputs)).ToList());
        var problems = new List<string>();
        for (int i = 0; i < cases.Count; i++)
        {
            string? problem = Check(cases[i], oracle[i], rtol, atol);
            if (problem is not null)
            {
                problems.Add($"{cases[i].Name}: {problem}");
            }
        }

        log?.WriteLine($"{cases.Count - problems.Count}/{cases.Count} cases agree with ONNX Runtime");
        if (problems.Count > 0)
        {
            Assert.Fail($"{problems.Count} of {cases.Count} cases disagree with ONNX Runtime:\n" + string.Join("\n", problems.Take(40)));
        }
    }

    private static string? Check(DifferentialCase c, OrtOutcome ort, double rtol, double atol)
    {
        if (ort.Error is not null)
        {
            return "ONNX Runtime rejected the generated model (generator bug?): " + ort.Error;
        }

        ModelRunner.Outcome ours;
        try
        {
            ours = ModelRunner.Run(c.Model, c.Name, c.Inputs);
        }
        catch (Exception e) when (e is not UnitTestAssertException)
        {
            return "our import/evaluation threw " + e.GetType().Name + ": " + e.Message;
        }

        if (!ours.Succeeded)
        {
            return "we rejected it: " + ours.DiagnosticText;
        }

        if (ours.Outputs!.Count != ort.Outputs.Count)
        {
            return $"{ours.Outputs.Count} outputs, ORT {ort.Outputs.Count}";
        }

        for (int k = 0; k < ort.Outputs.Count; k++)
        {
            string? problem = TensorComparison.Compare(ort.Outputs[k], ours.Outputs[k], rtol, atol);
            if (problem is not null)
            {
                return $"output {k}: {problem}";
            }
        }

        return null;
    }
}
