namespace Emc.Compiler.Ir;

/// <summary>One operation of the graph, as imported from an ONNX NodeProto.</summary>
public sealed class Node
{
    public Node(string name, string opType, string domain, IReadOnlyList<Value?> inputs, IReadOnlyList<Value> outputs,
        IReadOnlyDictionary<string, NodeAttribute> attributes)
    {
        Name = name;
        OpType = opType;
        Domain = domain;
        Inputs = inputs;
        Outputs = outputs;
        Attributes = attributes;
        foreach (var input in inputs)
        {
            input?.Consumers.Add(this);
        }

        foreach (var output in outputs)
        {
            output.Producer = this;
        }
    }

    /// <summary>Node name from the model (import gives unnamed nodes a stable name like <c>Conv_3</c>).</summary>
    public string Name { get; }

    public string OpType { get; }

    /// <summary>Operator domain; "" is the default ONNX domain (ai.onnx).</summary>
    public string Domain { get; }

    /// <summary>Inputs by position; null where an optional input is omitted (empty name in ONNX).</summary>
    public IReadOnlyList<Value?> Inputs { get; private set; }

    public IReadOnlyList<Value> Outputs { get; private set; }

    public IReadOnlyDictionary<string, NodeAttribute> Attributes { get; }

    /// <summary>The operator that implements this node; set by import once it is resolved.</summary>
    public Operator? Operator { get; set; }

    /// <summary>Typed parameters the operator parsed from attributes and constant inputs at import.</summary>
    public object? Parameters { get; set; }

    /// <summary>Redirects input <paramref name="index"/> to another value (graph rewrites).</summary>
    public void ReplaceInput(int index, Value? value)
    {
        var inputs = Inputs.ToArray();
        inputs[index]?.Consumers.Remove(this);
        inputs[index] = value;
        value?.Consumers.Add(this);
        Inputs = inputs;
    }

    /// <summary>Makes this node produce <paramref name="value"/> as output <paramref name="index"/> (graph rewrites).</summary>
    public void ReplaceOutput(int index, Value value)
    {
        var outputs = Outputs.ToArray();
        if (outputs[index].Producer == this)
        {
            outputs[index].Producer = null;
        }

        outputs[index] = value;
        value.Producer = this;
        Outputs = outputs;
    }

    public override string ToString() => $"{OpType} '{Name}'";
}
