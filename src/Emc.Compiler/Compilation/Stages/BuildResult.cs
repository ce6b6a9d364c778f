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
        var layout = model.InputLayout ?? InputLayout.Planar(graph.Inputs[0].Shape!);
        var report = CompileReporting.Build(model, state.Plan!, state.Bytes!.Length, state.Accuracy, state.Kmodel, state.LayerAccuracy) with
        {
            Passes = CompilerPipeline.Counts(state.Log),
            CalibrationSamples = state.CalibrationSamples,
            DatasetFiles = state.Dataset?.Files.Count ?? 0,
            Options = state.Options,
            SourcePath = state.SourcePath,
        };
        // The graph input's map (the device tensor's own quantization also covers any folded in-graph normalization).
        var inputQuant = InputPreprocessing.InterfaceQuant(state.Preprocessing!);
        var iface = new ModelInterface(
            [new TensorInterface(graph.Inputs[0].Name, layout.DeviceShape, InterfaceElementType.UInt8, inputQuant.StoredScale, inputQuant.StoredBias,
                InterfaceLayouts.DeviceInput, layout.ModelLayout)],
            model.Outputs.Select(o => Output(graph, o.Name, o.Tensor)).ToList());
        state.Result = new CompileResult(state.Bytes, iface, report, [.. state.Diagnostics]) { Tail = state.GeneratedTail };
        return true;
    }

    private static TensorInterface Output(Ir.Graph graph, string name, K210Tensor tensor)
    {
        string layout = InterfaceLayouts.Output(graph.Outputs.FirstOrDefault(v => v.Name == name));
        return new TensorInterface(name, OutputShape(graph, name, tensor), InterfaceElementType.Float32, 1, 0, layout, layout);
    }

    /// <summary>An output's shape as the ONNX model declares it (e.g. [1,10]), which the firmware sees; the lowered map's
    /// [1,C,H,W] only where the graph has no such output.</summary>
    private static int[] OutputShape(Ir.Graph graph, string name, K210Tensor tensor) =>
        graph.Outputs.FirstOrDefault(v => v.Name == name)?.Shape?.ToArray() ?? [1, tensor.Channels, tensor.Height, tensor.Width];
}
