namespace Emc.Kmodel;

/// <summary>
/// K210_CONV (10240, spec §5): the argument block, the register words, the raw weight bytes (8- or 16-bit
/// per header flag), one batch-norm word per output channel and the activation table.
/// </summary>
public sealed record K210ConvBody(
    uint Flags,
    uint MainMemOutAddress,
    KpuLayerArgument Registers,
    byte[] Weights,
    KpuBatchNorm[] BatchNorm,
    KpuActivationTable Activation,
    K210ConvLayout Layout) : LayerBody(Flags)
{
    /// <summary>Body flag bit 0 (<c>KLF_MAIN_MEM_OUT</c>): the output also goes to main memory.</summary>
    public const uint MainMemOutFlag = 1;

    public override KmodelLayerType Type => KmodelLayerType.K210Conv;

    public bool MainMemOut => (Flags & MainMemOutFlag) != 0;

    /// <summary>Bytes from the body start to the end of the last blob (the body cannot be smaller).</summary>
    public long ContentEnd => Math.Max(
        Math.Max((long)Layout.RegistersOffset + KpuLayerArgument.ByteSize, (long)Layout.WeightsOffset + Weights.Length),
        Math.Max((long)Layout.BatchNormOffset + (KpuBatchNorm.ByteSize * (long)BatchNorm.Length), (long)Layout.ActivationOffset + KpuActivationTable.ByteSize));
}
