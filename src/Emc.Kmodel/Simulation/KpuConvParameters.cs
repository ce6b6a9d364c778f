namespace Emc.Kmodel.Simulation;

/// <summary>
/// One K210_CONV layer decoded once for simulation: shapes, addressing, the conv terms of §6.1, batch-norm words
/// and the activation table, with weights widened to int (8- or 16-bit as the header says).
/// </summary>
internal sealed class KpuConvParameters
{
    public required int KernelSize { get; init; }

    public required bool Depthwise { get; init; }

    public required int PoolType { get; init; }

    public required byte PadValue { get; init; }

    public required KpuMapAddressing Input { get; init; }

    public required KpuMapAddressing Output { get; init; }

    public required long ArgX { get; init; }

    public required int ShrX { get; init; }

    public required long ArgW { get; init; }

    public required int ShrW { get; init; }

    public required long ArgAdd { get; init; }

    /// <summary>Weights in file order: <c>[oc][ic][ky][kx]</c>, or <c>[c][ky][kx]</c> when depthwise.</summary>
    public required int[] Weights { get; init; }

    public required bool EightBitWeights { get; init; }

    public required long[] NormMul { get; init; }

    public required int[] NormShift { get; init; }

    public required long[] NormAdd { get; init; }

    public required KpuActivation Activation { get; init; }

    /// <summary>The same batch-norm and activation as <see cref="Finish"/>, branch-free over rows (the fast path).</summary>
    public required KpuOutputStage OutputStage { get; init; }

    /// <summary>Main-buffer byte offset of the planar output copy, or −1 when the layer keeps its output on the KPU.</summary>
    public required long MainMemOut { get; init; }

    public int InChannels => Input.Channels;

    public int OutChannels => Output.Channels;

    public int Taps => KernelSize * KernelSize;

    /// <summary>Weights per output channel (the tap set of §6.1).</summary>
    public int WeightsPerOutput => Depthwise ? Taps : InChannels * Taps;

    /// <summary>G of §6.1: the number of input channels in an output's tap set.</summary>
    public int ChannelsPerOutput => Depthwise ? 1 : InChannels;

    public int OutputBytes => OutChannels * Output.Height * Output.Width;

    /// <summary>Batch norm then activation (the int64 reference of §6.2–6.3): the uint8 value for an accumulator of output channel <paramref name="o"/>.</summary>
    public byte Finish(int o, long acc)
        => Activation.Apply(KpuArithmetic.BatchNorm(acc, NormMul[o], NormShift[o], NormAdd[o]));
}
