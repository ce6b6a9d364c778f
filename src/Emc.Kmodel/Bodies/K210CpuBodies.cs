namespace Emc.Kmodel;

/// <summary>K210_ADD_PADDING (10241): byte c of main memory → pixel (0,0) of channel c of a 4×4 KPU map. 16 bytes.</summary>
public sealed record K210AddPaddingBody(uint MainMemIn, uint KpuMemOut, uint Channels) : LayerBody
{
    public const int LayoutSize = 16;

    public override KmodelLayerType Type => KmodelLayerType.K210AddPadding;
}

/// <summary>K210_REMOVE_PADDING (10242): <c>out[c] = in[c·16]</c>. 16 bytes.</summary>
public sealed record K210RemovePaddingBody(uint MainMemIn, uint MainMemOut, uint Channels) : LayerBody
{
    public const int LayoutSize = 16;

    public override KmodelLayerType Type => KmodelLayerType.K210RemovePadding;
}

/// <summary>K210_UPLOAD (10243): planar uint8 CHW in main memory → KPU RAM layout (spec §3.2). 24 bytes.</summary>
public sealed record K210UploadBody(uint MainMemIn, uint KpuMemOut, uint Width, uint Height, uint Channels) : LayerBody
{
    public const int LayoutSize = 24;

    public override KmodelLayerType Type => KmodelLayerType.K210Upload;
}
