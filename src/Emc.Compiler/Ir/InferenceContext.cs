using System.Globalization;
using Emc.Diagnostics;

namespace Emc.Compiler.Ir;

/// <summary>What an <see cref="Operator"/> sees while importing one node: attributes, inputs, the opset, and
/// where to report problems and results.</summary>
public sealed class InferenceContext
{
    private readonly DiagnosticBag _diagnostics;

    public InferenceContext(Node node, long opset, string? sourcePath, DiagnosticBag diagnostics)
    {
        Node = node;
        Opset = opset;
        SourcePath = sourcePath;
        _diagnostics = diagnostics;
    }

    public Node Node { get; }

    /// <summary>The opset of the node's domain that the model imports.</summary>
    public long Opset { get; }

    public string? SourcePath { get; }

    /// <summary>True once this node reported an error; the operator should stop.</summary>
    public bool Failed { get; private set; }

    public int InputCount => Node.Inputs.Count;

    /// <summary>Input <paramref name="index"/>, or null when absent or omitted.</summary>
    public Value? Input(int index) => index < Node.Inputs.Count ? Node.Inputs[index] : null;

    public bool HasInput(int index) => Input(index) is not null;

    /// <summary>Shape of a present input (import guarantees inputs are resolved before their consumers).</summary>
    public Shape InputShape(int index) => Input(index)?.Shape ?? throw new InvalidOperationException($"input {index} of {Node} is absent");

    /// <summary>The compile-time value of input <paramref name="index"/>; reports <see cref="IrDiagnostics.NonConstantInput"/>
    /// and returns null when it is not constant.</summary>
    public Tensor? ConstantInput(int index, string role)
    {
        var value = Input(index);
        if (value?.Constant is { } tensor)
        {
            return tensor;
        }

        Error(IrDiagnostics.NonConstantInput,
            $"input {index} ('{role}') must be a constant (initializer or computable at compile time), but '{value?.Name}' is computed at run time");
        return null;
    }

    public void SetOutput(int index, DataType type, Shape shape)
    {
        var output = Node.Outputs[index];
        output.Type = type;
        output.Shape = shape;
    }

    public bool HasAttribute(string name) => Node.Attributes.ContainsKey(name);

    public long GetInt(string name, long defaultValue) =>
        TryGet(name, AttributeKind.Int) is { } a ? a.Int : defaultValue;

    public float GetFloat(string name, float defaultValue) =>
        TryGet(name, AttributeKind.Float) is { } a ? a.Float : defaultValue;

    public string GetString(string name, string defaultValue) =>
        TryGet(name, AttributeKind.String) is { } a ? a.String : defaultValue;

    /// <summary>An INTS attribute, or null when absent.</summary>
    public long[]? GetInts(string name) => TryGet(name, AttributeKind.Ints)?.Ints;

    public float[]? GetFloats(string name) => TryGet(name, AttributeKind.Floats)?.Floats;

    public string[]? GetStrings(string name) => TryGet(name, AttributeKind.Strings)?.Strings;

    public Tensor? GetTensor(string name) => TryGet(name, AttributeKind.Tensor)?.Tensor;

    /// <summary>Reports an error about this node; the message is prefixed with the node name, op type and opset.</summary>
    public void Error(DiagnosticDescriptor descriptor, string message)
    {
        Failed = true;
        _diagnostics.Add(descriptor.Create(Describe(message), SourcePath, Node.Name, Node.OpType));
    }

    public void Warning(DiagnosticDescriptor descriptor, string message) =>
        _diagnostics.Add(descriptor.Create(Describe(message), SourcePath, Node.Name, Node.OpType));

    /// <summary>Reports <see cref="IrDiagnostics.UnsupportedAttribute"/> for an attribute value we do not implement.</summary>
    public void UnsupportedAttribute(string attribute, string value, string supported) =>
        Error(IrDiagnostics.UnsupportedAttribute, $"attribute '{attribute}' = {value} is not supported (supported: {supported})");

    /// <summary>Reports <see cref="IrDiagnostics.InvalidNode"/>.</summary>
    public void Invalid(string message) => Error(IrDiagnostics.InvalidNode, message);

    private string Describe(string message) =>
        string.Create(CultureInfo.InvariantCulture, $"node '{Node.Name}' ({Node.OpType}, opset {Opset}): {message}");

    private NodeAttribute? TryGet(string name, AttributeKind kind)
    {
        if (!Node.Attributes.TryGetValue(name, out var attribute))
        {
            return null;
        }

        if (attribute.Kind != kind)
        {
            Invalid($"attribute '{name}' is {attribute.Kind}, expected {kind}");
            return null;
        }

        return attribute;
    }
}
