using Emc.Compiler.K210.Rewrites;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>
/// <see cref="StridedInputConvAsPhases"/> before lowering: a large strided stem on the graph input reads the input's
/// four stride-2 phases instead of shifted copies of the full-size input (issue 9 items 3 and 4).
/// </summary>
internal sealed class SplitStridedInputConv : ICompileStage
{
    public static readonly SplitStridedInputConv Instance = new();

    public string Name => "strided-input-conv-as-phases";

    public string Summary => "a k×k stride-2/4 conv on a large graph input, whose shifted input copies would overflow KPU RAM → the same conv over the input's four stride-2 phases (half the stride, about half the kernel)";

    public bool Run(CompileState state)
    {
        StridedInputConvAsPhases.Run(state.Graph, state.Diagnostics);
        return !state.Diagnostics.HasErrors;
    }
}
