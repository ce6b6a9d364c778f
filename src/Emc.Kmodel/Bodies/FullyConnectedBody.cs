namespace Emc.Kmodel;

/// <summary>
/// FULLY_CONNECTED (18): float32 <c>out[o] = Σ_i in[i]·W[o][i] + bias[o]</c>, then the activation
/// (0 linear, 1 ReLU, 2 ReLU6). <see cref="Weights"/> is row-major [out][in]. 24 + 4·(in·out + out) bytes.
/// </summary>
public sealed record FullyConnectedBody(uint In, uint Out, uint InChannels, uint OutChannels, uint Activation, float[] Weights, float[] Bias)
    : LayerBody
{
    public const int FixedSize = 24;

    public override KmodelLayerType Type => KmodelLayerType.FullyConnected;
}
