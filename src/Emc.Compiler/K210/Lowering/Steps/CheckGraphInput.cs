using Emc.Compiler.Compilation;

namespace Emc.Compiler.K210.Lowering.Steps;

/// <summary>kmodel v3 feeds one uint8 planar image: the graph needs one [1, C, H, W] input and valid preprocessing options.</summary>
internal sealed class CheckGraphInput : ILoweringStep
{
    public static readonly CheckGraphInput Instance = new();

    public string Name => "check-graph-input";

    public string Summary => "one [1, C, H, W] graph input and a valid input map (--input-range or --mean/--std, channel order bgr only with 3 channels)";

    public bool Run(LoweringContext ctx)
    {
        var graph = ctx.Graph;
        if (graph.Inputs.Count != 1 || graph.Inputs[0].Shape is not { Rank: 4 } inShape || inShape[0] != 1)
        {
            ctx.Diagnostics.Add(CompilerDiagnostics.UnsupportedInput.Create(
                $"the model must have one input of shape [1, C, H, W] (kmodel v3 feeds one uint8 planar image to the first KPU convolution); it has {string.Join(", ", graph.Inputs.Select(i => i.ToString()))}",
                graph.SourcePath));
            return false;
        }

        int channels = InputLayout.Of(graph).Channels;
        ctx.Preprocessing = InputPreprocessing.FromOptions(ctx.Options, channels, ctx.Diagnostics, graph.SourcePath);
        if (ctx.Preprocessing is null)
        {
            return false;
        }

        if (ctx.Options.ChannelOrder == ChannelOrder.Bgr && channels != 3)
        {
            // An input problem: every node depends on the input, so no node is lowered (and none reports) after it.
            ctx.Diagnostics.Add(CompilerDiagnostics.Preprocessing.Create(
                $"channel order bgr needs 3 input channels, the model input '{graph.Inputs[0].Name}' has {channels}", graph.SourcePath));
            return false;
        }

        return true;
    }
}
