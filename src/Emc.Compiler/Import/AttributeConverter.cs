using System.Text;
using Emc.Compiler.Ir;
using Emc.Diagnostics;
using Emc.Onnx.Protobuf;
using static Emc.Onnx.Protobuf.AttributeProto.Types;

namespace Emc.Compiler.Import;

/// <summary>Decodes ONNX AttributeProto messages into <see cref="NodeAttribute"/> records.</summary>
internal static class AttributeConverter
{
    public static Dictionary<string, NodeAttribute> Convert(NodeProto node, string nodeName, string? path, DiagnosticBag diagnostics)
    {
        var result = new Dictionary<string, NodeAttribute>(StringComparer.Ordinal);
        foreach (var a in node.Attribute)
        {
            var converted = Convert(a, path, diagnostics);
            if (converted is null)
            {
                continue;
            }

            if (!result.TryAdd(a.Name, converted))
            {
                diagnostics.Add(IrDiagnostics.InvalidNode.Create(
                    $"node '{nodeName}' ({node.OpType}): attribute '{a.Name}' appears twice", path, nodeName, node.OpType));
            }
        }

        return result;
    }

    private static NodeAttribute? Convert(AttributeProto a, string? path, DiagnosticBag diagnostics)
    {
        var type = a.HasType && a.Type != AttributeType.Undefined ? a.Type : Guess(a);
        return type switch
        {
            AttributeType.Float => new NodeAttribute(a.Name, AttributeKind.Float) { Float = a.F },
            AttributeType.Int => new NodeAttribute(a.Name, AttributeKind.Int) { Int = a.I },
            AttributeType.String => new NodeAttribute(a.Name, AttributeKind.String) { String = Decode(a.S.Span) },
            AttributeType.Floats => new NodeAttribute(a.Name, AttributeKind.Floats) { Floats = [.. a.Floats] },
            AttributeType.Ints => new NodeAttribute(a.Name, AttributeKind.Ints) { Ints = [.. a.Ints] },
            AttributeType.Strings => new NodeAttribute(a.Name, AttributeKind.Strings) { Strings = a.Strings.Select(s => Decode(s.Span)).ToArray() },
            AttributeType.Tensor => TensorAttribute(a, path, diagnostics),
            AttributeType.Graph or AttributeType.Graphs => new NodeAttribute(a.Name, AttributeKind.Graph),
            _ => new NodeAttribute(a.Name, AttributeKind.Other),
        };
    }

    private static NodeAttribute? TensorAttribute(AttributeProto a, string? path, DiagnosticBag diagnostics)
    {
        if (a.T is null)
        {
            return new NodeAttribute(a.Name, AttributeKind.Other);
        }

        var tensor = TensorProtoConverter.FromProto(a.T, path, diagnostics);
        return tensor is null ? null : new NodeAttribute(a.Name, AttributeKind.Tensor) { Tensor = tensor };
    }

    // IR 1-2 era files may omit the type; infer it from the field that is set.
    private static AttributeType Guess(AttributeProto a)
    {
        if (a.HasF) return AttributeType.Float;
        if (a.HasI) return AttributeType.Int;
        if (a.HasS) return AttributeType.String;
        if (a.T is not null) return AttributeType.Tensor;
        if (a.G is not null) return AttributeType.Graph;
        if (a.Floats.Count > 0) return AttributeType.Floats;
        if (a.Ints.Count > 0) return AttributeType.Ints;
        if (a.Strings.Count > 0) return AttributeType.Strings;
        return AttributeType.Undefined;
    }

    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
