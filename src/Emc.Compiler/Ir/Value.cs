namespace Emc.Compiler.Ir;

/// <summary>
/// An edge of the graph: a named tensor with a static type and shape, produced by one node (or a graph
/// input, or a constant) and read by any number of nodes.
/// </summary>
public sealed class Value
{
    public Value(string name, DataType type, Shape? shape = null)
    {
        Name = name;
        Type = type;
        Shape = shape;
    }

    public string Name { get; }

    public DataType Type { get; set; }

    /// <summary>Static shape; null only while import has not inferred it yet.</summary>
    public Shape? Shape { get; set; }

    /// <summary>The value when it is known at compile time (initializer, Constant node, folded sub-graph).</summary>
    public Tensor? Constant { get; set; }

    public bool IsConstant => Constant is not null;

    /// <summary>The node that computes this value; null for graph inputs and initializers.</summary>
    public Node? Producer { get; internal set; }

    public List<Node> Consumers { get; } = [];

    public override string ToString() => $"{Name}: {Type.Name()}{Shape}";
}
