namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Expressions the LSTM and GRU generators share: an activation of a (clipped) argument, written with the same
/// float operations as <see cref="Evaluation.Kernels.RecurrentActivations"/>.</summary>
internal static class RecurrentTailCode
{
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
