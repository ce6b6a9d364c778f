using Emc.Compiler.K210.Rewrites;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>
/// IR rewrites before lowering that keep the float values and leave the device fewer, exact layers:
/// <see cref="CReluAsDoubledConv"/> — CReLU after a conv becomes one conv with weights [W; −W] and a ReLU — and
/// <see cref="PairwiseSoftmaxAsSigmoid"/> — a two-class Softmax of a conv's channels becomes σ of their differences — and
/// <see cref="ActivationIntoConcatInputs"/> — an activation after a Concat moves onto its inputs' producers.
/// </summary>
internal sealed class LayerRewrites : ICompileStage
{
    public static readonly LayerRewrites Instance = new();

    public string Name => "layer-rewrites";

    public string Summary => "Relu(Concat(conv(x), −conv(x))) (CReLU) → Relu(conv(x) with weights [W; −W]): one KPU conv instead of CPU tables and requantizes; a two-class Softmax of a conv's channels → Sigmoid of a conv with weights [W_a − W_b; W_b − W_a]; Relu/Clip/LeakyRelu(Concat(a, b)) → Concat of the activated inputs";

    public bool Run(CompileState state)
    {
        Rewrite(state.Graph);
        return !state.Diagnostics.HasErrors;
    }

    /// <summary>The rewrites themselves, also for checks that lower without compiling (<see cref="CompileCheck"/>).</summary>
    internal static void Rewrite(Ir.Graph graph)
    {
        CReluAsDoubledConv.Run(graph);
        PairwiseSoftmaxAsSigmoid.Run(graph);
        ActivationIntoConcatInputs.Run(graph);
    }
}
