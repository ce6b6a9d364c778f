namespace Emc.Kmodel;

/// <summary>A layer: its body and the declared body size (bytes to the next body, padding included).</summary>
public sealed record KmodelLayer(LayerBody Body, uint BodySize)
{
    public KmodelLayerType Type => Body.Type;
}
