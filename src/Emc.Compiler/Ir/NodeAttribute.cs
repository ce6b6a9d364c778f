namespace Emc.Compiler.Ir;

public enum AttributeKind
{
    Float,
    Int,
    String,
    Tensor,
    Floats,
    Ints,
    Strings,
    Graph,
    Other,
}

/// <summary>An ONNX node attribute, decoded from protobuf once at import.</summary>
public sealed record NodeAttribute(string Name, AttributeKind Kind)
{
    public float Float { get; init; }

    public long Int { get; init; }

    public string String { get; init; } = "";

    public Tensor? Tensor { get; init; }

    public float[] Floats { get; init; } = [];

    public long[] Ints { get; init; } = [];

    public string[] Strings { get; init; } = [];
}
