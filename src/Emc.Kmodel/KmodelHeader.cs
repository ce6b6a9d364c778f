namespace Emc.Kmodel;

/// <summary>
/// The 28-byte kmodel v3 header (spec §1.1) without <c>layers_length</c> and <c>output_count</c>, which
/// follow from <see cref="KmodelFile.Layers"/> and <see cref="KmodelFile.Outputs"/>.
/// </summary>
public sealed record KmodelHeader(uint Version, uint Flags, uint Arch, uint MaxStartAddress, uint MainMemUsage)
{
    public const uint Version3 = 3;
    public const int Size = 28;

    /// <summary>Header flag bit 0: weights are 8-bit (otherwise 16-bit).</summary>
    public bool EightBitWeights => (Flags & 1) != 0;

    /// <summary>Bytes per stored weight: 1 in 8-bit mode, 2 in 16-bit mode.</summary>
    public int WeightBytes => EightBitWeights ? 1 : 2;
}
