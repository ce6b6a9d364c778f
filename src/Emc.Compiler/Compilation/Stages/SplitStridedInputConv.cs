using Emc.Compiler.K210.Lowering;
using Emc.Compiler.K210.Rewrites;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>
/// The map-size rewrites before lowering (IR rewrites that keep the float values): <see cref="ConvTransposeAsPhaseConv"/>
/// — a transposed conv becomes one conv per output phase and a DepthToSpace (issue 9 item 6), and a 1×1 conv between
/// two such interleaves runs on the phases (<see cref="PointwiseConvBetweenInterleaves"/>) —
/// <see cref="StridedInputConvAsPhases"/>
/// — a large strided stem on the graph input reads the input's four stride-2 phases (issue 9 items 3 and 4) — and
/// <see cref="SmallMapConvOnUpsampledMap"/> — a conv on a map below 4×4 too large as float FCs runs dilated over the
/// map repeated by a nearest Resize — and <see cref="LinearResizeAsNearestAndDepthwise"/> — a linear Resize/Upsample
/// by an integer factor becomes an edge-padded nearest upsampling and a fixed depthwise conv.
/// </summary>
internal sealed class SplitStridedInputConv : ICompileStage
{
    public static readonly SplitStridedInputConv Instance = new();

    public string Name => "map-size-rewrites";

    public string Summary => "ConvTranspose with stride s → one conv computing its s² output phases + DepthToSpace (a 1×1 conv between two of them moves onto the phases); a k×k stride-2/4 conv on a large graph input → the same conv over the input's four stride-2 phases; a conv on a map below 4×4 too large as FCs → dilated over the map repeated f×f, then every f-th pixel; a linear resize ×f → edge pixels, nearest ×f and a fixed depthwise kernel";

    public bool Run(CompileState state)
    {
        Rewrite(state.Graph, state.Options, state.Diagnostics);
        return !state.Diagnostics.HasErrors;
    }

    /// <summary>The rewrites themselves, also for checks that lower without compiling (<see cref="CompileCheck"/>).</summary>
    internal static void Rewrite(Ir.Graph graph, CompileOptions options, Diagnostics.DiagnosticBag diagnostics)
    {
        ConvTransposeAsPhaseConv.Run(graph, diagnostics);
        PointwiseConvBetweenInterleaves.Run(graph, diagnostics);
        StridedInputConvAsPhases.Run(graph, diagnostics, InputMapIsQuantization(graph, options));
        SmallMapConvOnUpsampledMap.Run(graph, diagnostics);
        LinearResizeAsNearestAndDepthwise.Run(graph, diagnostics);
    }

    /// <summary>Whether the options' input map is a uint8 quantization (problems with it are reported by lowering).</summary>
    private static bool InputMapIsQuantization(Ir.Graph graph, CompileOptions options) =>
        graph.Inputs is [{ Shape: { Rank: 4 } shape }]
        && InputPreprocessing.FromOptions(options, shape[1], new Diagnostics.DiagnosticBag(), null) is not { IsQuantization: false };
}
