namespace Emc.Kmodel;

/// <summary>
/// Where a K210_CONV body keeps its referenced blobs, as byte offsets from the body start (the file stores
/// them absolute: body start + these). Kept so that real files round-trip byte for byte.
/// </summary>
public readonly record struct K210ConvLayout(uint RegistersOffset, uint WeightsOffset, uint BatchNormOffset, uint ActivationOffset)
{
    /// <summary>The fixed argument block: flags, main_mem_out_address and the four offsets.</summary>
    public const int ArgumentSize = 24;
}
