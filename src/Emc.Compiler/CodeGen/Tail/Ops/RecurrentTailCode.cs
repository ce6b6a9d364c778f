using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>What the LSTM and GRU generators share: the sequence_lens they run (every step), and an activation of a
/// (clipped) argument, written with the same float operations as <see cref="Evaluation.Kernels.RecurrentActivations"/>.</summary>
internal static class RecurrentTailCode
{
    /// <summary>The buffer of input <paramref name="index"/>, or null when the node omits it.</summary>
    public static string? InputOrNull(Node node, TailEmitter e, int index) => node.Inputs.Count > index && node.Inputs[index] is { } v ? e.Ref(v) : null;

    /// <summary>The buffer of output <paramref name="index"/> (Y_h, Y_c), or null when the node has no such output.</summary>
    public static string? OutputOrNull(Node node, TailEmitter e, int index) => node.Outputs.Count > index ? e.Ref(node.Outputs[index]) : null;

    /// <summary>Why the node's sequence_lens (input 4) cannot be generated — it is not a constant of the full length — or null.</summary>
    public static string? SequenceLensProblem(Node node, int seqLength) =>
        node.Inputs.Count > 4 && node.Inputs[4] is { } lens && (lens.Constant is not { } t || t.ToInt64Array().Any(l => l != seqLength))
            ? "sequence_lens other than the full length"
            : null;

    /// <summary>name(clip(v)); no clipping when <paramref name="clip"/> is infinite.</summary>
    public static string Activate(TailLanguage l, string name, string v, float clip)
    {
        string x = float.IsPositiveInfinity(clip) ? v : $"({v} < {l.Float(-clip)} ? {l.Float(-clip)} : {v} > {l.Float(clip)} ? {l.Float(clip)} : {v})";
        return name switch
        {
            "Sigmoid" => $"1.0f / (1.0f + {l.Math("exp", "-" + x)})",
            "Tanh" => l.Math("tanh", x),
            _ => $"({x} > 0.0f ? {x} : 0.0f)",
        };
    }
}
