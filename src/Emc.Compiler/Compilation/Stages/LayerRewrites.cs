using Emc.Compiler.K210.Rewrites;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>
/// IR rewrites before lowering that keep the float values and leave the device fewer, exact layers:
/// <see cref="CReluAsDoubledConv"/> — CReLU after a conv becomes one conv with weights [W; −W] and a ReLU.
/// </summary>
internal sealed class LayerRewrites : ICompileStage
{
    public static readonly LayerRewrites Instance = new();

    public string Name => "layer-rewrites";

    public string Summary => "Relu(Concat(conv(x), −conv(x))) (CReLU) → Relu(conv(x) with weights [W; −W]): one KPU conv instead of CPU tables and requantizes";

    public bool Run(CompileState state)
    {
        CReluAsDoubledConv.Run(state.Graph);
        return !state.Diagnostics.HasErrors;
    }
}
