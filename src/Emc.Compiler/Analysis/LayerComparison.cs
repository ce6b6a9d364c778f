using System.Globalization;
using System.Text;
using Emc.Compiler.Calibration;
using Emc.Compiler.Evaluation;
using Emc.Compiler.K210.Graph;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;

namespace Emc.Compiler.Analysis;

/// <summary>How closely one simulated layer's output follows the float value it stands for.</summary>
internal sealed record LayerAccuracy(
    int Index, string Kind, string Layer, string Value, double SqnrDb, double MaxAbsError, double QuantStep, long Elements)
{
    /// <summary>
    /// KPU convs: the largest and mean |Δq| between the simulated output and the layer's float model run on the
    /// simulated input (<see cref="KpuConvFloatModel"/>): the error the layer itself adds, in output LSBs.
    /// </summary>
    public (int Max, double Mean)? LocalLsb { get; init; }

    /// <summary>Like <see cref="LocalLsb"/> with the quantized weights: the error of the integer pipeline alone.</summary>
    public (int Max, double Mean)? ArithmeticLsb { get; init; }

    /// <summary>(channel, row, column) of the largest error in the IR value's coordinates, and the two values there.</summary>
    public (int C, int Y, int X, double Got, double Want) Worst { get; init; }
}

/// <summary>
/// Per-layer float-vs-simulator comparison of one sample (<see cref="LayerErrorAccount"/> with each KPU conv's local
/// error): the first layer whose SQNR collapses is where an error enters.
/// </summary>
internal static class LayerComparison
{
    public static IReadOnlyList<LayerAccuracy> Compare(Ir.Graph graph, K210Model model, KmodelFile file, CalibrationSample sample)
    {
        var reference = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var evaluator = new ReferenceEvaluator(graph, new EvaluatorOptions
        {
            Observer = (value, tensor) => reference[value.Name] = tensor.ToFloatArray(),
        });
        evaluator.Run(Ir.Tensor.Create(graph.Inputs[0].Shape!, sample.ModelInput));
        reference[graph.Inputs[0].Name] = sample.ModelInput;

        var traced = new byte[model.Layers.Count][];
        var simulator = KmodelSimulator.Create(file, new SimulatorOptions { Trace = (i, _, bytes) => traced[i] = bytes.ToArray() }).Value
            ?? throw new ArgumentException("the kmodel does not simulate", nameof(file));
        simulator.Run(sample.DeviceInput);

        var account = new LayerErrorAccount(graph, model, localErrors: true);
        account.Add(reference, traced, sample.DeviceInput);
        return account.Results();
    }

    /// <summary>A readable table, one line per compared layer.</summary>
    public static string Format(IEnumerable<LayerAccuracy> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("  #  kind                       SQNR dB   max err   step      local LSB max/mean  arith LSB  value (worst at c,y,x: got/want)");
        foreach (var r in rows)
        {
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Index,3}  {r.Kind,-24} {r.SqnrDb,8:F2}  {r.MaxAbsError,8:G4}  {r.QuantStep,8:G4}  {(r.LocalLsb is { } l ? $"{l.Max,4}/{l.Mean,6:F3}" : "     -     ")}  {(r.ArithmeticLsb is { } a ? $"{a.Max,4}/{a.Mean,6:F3}" : "     -     ")}  {r.Value} ({r.Worst.C},{r.Worst.Y},{r.Worst.X}: {r.Worst.Got:G4}/{r.Worst.Want:G4})"));
        }

        return sb.ToString();
    }
}
