namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>The float weights ([out][PerOutput]) and bias of a conv or FC being built; linear followers fold into them.</summary>
internal sealed record LinearWeights(float[] Weights, float[] Bias, int PerOutput)
{
    public int OutChannels => Bias.Length;
}
