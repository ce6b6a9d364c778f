namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>The activations LSTM and GRU nodes may name (those without parameters), and their float definitions,
/// shared by the evaluator kernels.</summary>
internal static class RecurrentActivations
{
    public static readonly IReadOnlyList<string> Names = ["Sigmoid", "Tanh", "Relu"];

    public static float Apply(string name, float v) => name switch
    {
        "Sigmoid" => 1f / (1f + MathF.Exp(-v)),
        "Tanh" => MathF.Tanh(v),
        _ => MathF.Max(v, 0f),
    };

    public static float Clip(float v, float clip) => MathF.Max(-clip, MathF.Min(clip, v));
}
