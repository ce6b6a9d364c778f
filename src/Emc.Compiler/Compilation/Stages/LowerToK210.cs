using Emc.Compiler.K210.Lowering;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>IR graph → K210 layers (see <see cref="GraphLowering"/> for its steps, lowerings and fusions).</summary>
internal sealed class LowerToK210 : ICompileStage
{
    public static readonly LowerToK210 Instance = new();

    public string Name => "lower";

    public string Summary => "IR graph → K210 layers: the lowering steps, one lowering per op type, fusions";

    public bool Run(CompileState state)
    {
        state.LogBeforeLowering ??= state.Log.Snapshot();
        state.Model = GraphLowering.Lower(state.Graph, state.Options, state.Diagnostics, state.Log, out var suggested);
        state.SuggestedOutputs = suggested;
        return state.Model is not null && !state.Diagnostics.HasErrors;
    }
}
