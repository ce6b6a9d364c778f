using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering;
using Emc.Compiler.Passes;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>The report, the model's interface (as the ONNX model declares it) and the bytes, as one result.</summary>
internal sealed class BuildResult : ICompileStage
{
    public static readonly BuildResult Instance = new();

    public string Name => "build-result";

    public string Summary => "per-layer report, pass counts, and the input/output interface the generated header and wrapper show";

    public bool Run(CompileState state)
    {
        var graph = state.Graph;
        var model = state.Model!;
        var inputShape = graph.Inputs[0].Shape!;
        var report = CompileReporting.Build(model, state.Plan!, state.Bytes!.Length, state.Accuracy, state.Kmodel, state.LayerAccuracy) with
        {
            Passes = CompilerPipeline.Counts(state.Log),
            Options = state.Options,
            SourcePath = state.SourcePath,
        };
        // The graph input's map (the device tensor's own quantization also covers any folded in-graph normalization).
        var inputQuant = InputPreprocessing.DeviceQuant(state.Preprocessing!);
        var iface = new ModelInterface(
            [new TensorInterface(graph.Inputs[0].Name, inputShape.ToArray(), InterfaceElementType.UInt8, inputQuant.StoredScale, inputQuant.StoredBias)],
            model.Outputs.Select(o => new TensorInterface(o.Name, OutputShape(graph, o.Name, o.Tensor), InterfaceElementType.Float32, 1, 0)).ToList());
        state.Result = new CompileResult(state.Bytes, iface, report, [.. state.Diagnostics]);
        return true;
    }

    /// <summary>An output's shape as the ONNX model declares it (e.g. [1,10]), which the firmware sees; the lowered map's
    /// [1,C,H,W] only where the graph has no such output.</summary>
    private static int[] OutputShape(Ir.Graph graph, string name, K210Tensor tensor) =>
        graph.Outputs.FirstOrDefault(v => v.Name == name)?.Shape?.ToArray() ?? [1, tensor.Channels, tensor.Height, tensor.Width];
}
