namespace Emc.Kmodel;

/// <summary>A whole kmodel v3 file: header, output table and layers in execution order.</summary>
public sealed record KmodelFile(KmodelHeader Header, IReadOnlyList<KmodelOutput> Outputs, IReadOnlyList<KmodelLayer> Layers)
{
    /// <summary>File offset of the first body: 28 + 8·outputs + 8·layers.</summary>
    public long BodyStart => KmodelHeader.Size + (8L * Outputs.Count) + (8L * Layers.Count);

    /// <summary>File offset at which body <paramref name="index"/> starts.</summary>
    public long BodyOffset(int index)
    {
        long offset = BodyStart;
        for (int i = 0; i < index; i++)
        {
            offset += Layers[i].BodySize;
        }

        return offset;
    }

    /// <summary>B + Σ body_size: the model size the SDK and MaixPy assume.</summary>
    public long DeclaredLength => BodyOffset(Layers.Count);
}
