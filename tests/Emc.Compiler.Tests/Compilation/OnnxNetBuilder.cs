using System.Runtime.InteropServices;
using Emc.Onnx.Protobuf;
using Google.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Test utility: builds small float ONNX networks (opset 13 unless <see cref="Opset"/> says) with the generated protobuf classes. Written here because
/// the conformance helper's OnnxModelBuilder (branch conform) has not landed on main.
/// </summary>
internal sealed class OnnxNetBuilder
{
    private readonly GraphProto _graph = new() { Name = "net" };
    private int _counter;

    public OnnxNetBuilder(string input, params int[] dims)
    {
        _graph.Input.Add(ValueInfo(input, dims));
    }

    /// <summary>The default-domain opset the model imports (13 unless set).</summary>
    public long Opset { get; set; } = 13;

    /// <summary>Another float graph input.</summary>
    public void AddInput(string name, params int[] dims) => _graph.Input.Add(ValueInfo(name, dims));

    public string Fresh(string hint) => $"{hint}{_counter++}";

    public string Constant(float[] values, params long[] dims)
    {
        string name = Fresh("c");
        var t = new TensorProto { Name = name, DataType = 1, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        t.Dims.AddRange(dims);
        _graph.Initializer.Add(t);
        return name;
    }

    public string Int64Constant(params long[] values)
    {
        string name = Fresh("i");
        var t = new TensorProto { Name = name, DataType = 7, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        t.Dims.Add(values.Length);
        _graph.Initializer.Add(t);
        return name;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string op, string[] inputs, params (string Name, object Value)[] attributes)
    {
        string output = Fresh(op.ToLowerInvariant());
        var node = new NodeProto { OpType = op, Name = output + "_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        foreach (var (name, value) in attributes)
        {
            var a = new AttributeProto { Name = name };
            switch (value)
            {
                case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
                case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
                case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
                case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = ByteString.CopyFromUtf8(s); break;
                case int[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.AddRange(ints.Select(v => (long)v)); break;
                case float[] floats: a.Type = AttributeProto.Types.AttributeType.Floats; a.Floats.AddRange(floats); break;
                case string[] strings: a.Type = AttributeProto.Types.AttributeType.Strings; a.Strings.AddRange(strings.Select(ByteString.CopyFromUtf8)); break;
                default: throw new ArgumentException($"attribute {name}: {value.GetType()}");
            }

            node.Attribute.Add(a);
        }

        _graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds a node with <paramref name="count"/> outputs and returns their names.</summary>
    public string[] NodeWithOutputs(string op, string[] inputs, int count, params (string Name, object Value)[] attributes)
    {
        var names = new List<string> { Node(op, inputs, attributes) };
        var node = _graph.Node[^1];
        for (int i = 1; i < count; i++)
        {
            names.Add(Fresh(op.ToLowerInvariant()));
            node.Output.Add(names[^1]);
        }

        return [.. names];
    }

    public string Conv(string x, float[] weights, float[] bias, int oc, int ic, int k, int stride, int[] pads, int group = 1) =>
        Node("Conv", [x, Constant(weights, oc, ic / group, k, k), Constant(bias, oc)],
            ("kernel_shape", new[] { k, k }), ("strides", new[] { stride, stride }), ("pads", pads), ("group", group));

    /// <summary>A "same" conv (3×3 pads 1, or 1×1) with weights uniform in ±2/fan-in and small biases drawn from
    /// <paramref name="random"/> (weights first, then biases).</summary>
    public string RandomConv(string x, int ic, int oc, int k, Random random)
    {
        int per = ic * k * k;
        var w = Enumerable.Range(0, oc * per).Select(_ => (float)((random.NextDouble() * 2) - 1) / per * 2).ToArray();
        var bias = Enumerable.Range(0, oc).Select(_ => (float)(random.NextDouble() - 0.5) * 0.1f).ToArray();
        return Conv(x, w, bias, oc, ic, k, 1, k == 3 ? [1, 1, 1, 1] : [0, 0, 0, 0]);
    }

    public ModelProto Build(params string[] outputs) => BuildTyped(outputs.Select(o => (o, 1)).ToArray());

    /// <summary>Like <see cref="Build"/>, with each output's ONNX element type (1 float, 7 int64).</summary>
    public ModelProto BuildTyped(params (string Name, int ElemType)[] outputs)
    {
        var graph = _graph.Clone();
        foreach (var (o, type) in outputs)
        {
            graph.Output.Add(new ValueInfoProto { Name = o, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type } } });
        }

        var model = new ModelProto { IrVersion = 8, ProducerName = "emc-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = Opset });
        return model;
    }

    private static ValueInfoProto ValueInfo(string name, int[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (int d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }
}
