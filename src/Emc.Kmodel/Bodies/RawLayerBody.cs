namespace Emc.Kmodel;

/// <summary>
/// A body whose layout is not known (types 3, 4, 6, 10, 19): its bytes as declared, kept so that the file
/// still reads and round-trips. <see cref="Bytes"/> excludes nothing: it is the whole declared body present
/// in the file.
/// </summary>
public sealed record RawLayerBody(KmodelLayerType LayerType, byte[] Bytes) : LayerBody
{
    public override KmodelLayerType Type => LayerType;
}
