using System.Runtime.InteropServices;
using Emc.Compiler.Ir;
using Emc.Onnx.Protobuf;
using Google.Protobuf;

namespace Emc.Compiler.Tests.Differential;

/// <summary>
/// Test utility: builds small ONNX models with the generated protobuf classes (fluent). IR version follows the
/// opset (IR 3 for opset &lt; 9, which also lists initializers as graph inputs, as old exporters did).
/// </summary>
public sealed class OnnxModelBuilder
{
    private readonly GraphProto _graph = new() { Name = "g" };
    private readonly long _opset;
    private int _nodeCount;

    public OnnxModelBuilder(long opset)
    {
        _opset = opset;
    }

    public long Opset => _opset;

    public OnnxModelBuilder Input(string name, DataType type, params int[] dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        return this;
    }

    /// <summary>A graph output; its shape is left for the consumer to infer unless given.</summary>
    public OnnxModelBuilder Output(string name, DataType type = DataType.Float32, int[]? dims = null)
    {
        _graph.Output.Add(ValueInfo(name, type, dims));
        return this;
    }

    public OnnxModelBuilder Initializer(string name, Tensor value)
    {
        TensorProto proto = ToTensorProto(value);
        proto.Name = name;
        _graph.Initializer.Add(proto);
        if (_opset < 9)
        {
            _graph.Input.Add(ValueInfo(name, value.Type, value.Shape.ToArray()));
        }

        return this;
    }

    public OnnxModelBuilder Initializer(string name, float[] data, params int[] dims) =>
        Initializer(name, Tensor.Create(new Shape(dims), data));

    public OnnxModelBuilder Int64Initializer(string name, params long[] data) =>
        Initializer(name, Tensor.Create(new Shape(data.Length), data));

    /// <summary>Adds a node; inputs may be "" for an omitted optional input.</summary>
    public OnnxModelBuilder Node(string opType, string[] inputs, string[] outputs, Action<AttributeList>? attributes = null)
    {
        var node = new NodeProto { OpType = opType, Name = $"{opType}_{_nodeCount++}" };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        attributes?.Invoke(new AttributeList(node));
        _graph.Node.Add(node);
        return this;
    }

    public ModelProto ToModel()
    {
        var model = new ModelProto
        {
            IrVersion = _opset < 9 ? 3 : _opset < 13 ? 7 : _opset < 19 ? 8 : 9,
            ProducerName = "Emc.Build tests",
            Graph = _graph.Clone(),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = _opset });
        return model;
    }

    public byte[] Build() => ToModel().ToByteArray();

    public static ValueInfoProto ValueInfo(string name, DataType type, int[]? dims)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type };
        if (dims is not null)
        {
            tensorType.Shape = new TensorShapeProto();
            foreach (int d in dims)
            {
                tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
            }
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    /// <summary>Little-endian raw_data TensorProto (written here, independently of the code under test).</summary>
    public static TensorProto ToTensorProto(Tensor value)
    {
        var proto = new TensorProto { DataType = (int)value.Type };
        foreach (int d in value.Shape)
        {
            proto.Dims.Add(d);
        }

        byte[] raw = value switch
        {
            Tensor<float> f => MemoryMarshal.AsBytes(f.Data.AsSpan()).ToArray(),
            Tensor<long> l => MemoryMarshal.AsBytes(l.Data.AsSpan()).ToArray(),
            Tensor<int> i => MemoryMarshal.AsBytes(i.Data.AsSpan()).ToArray(),
            Tensor<bool> b => MemoryMarshal.AsBytes(b.Data.AsSpan()).ToArray(),
            Tensor<byte> u => (byte[])u.Data.Clone(),
            _ => throw new NotSupportedException(value.Type.Name()),
        };
        proto.RawData = ByteString.CopyFrom(raw);
        return proto;
    }

    /// <summary>Attribute setters for one node.</summary>
    public sealed class AttributeList(NodeProto node)
    {
        public AttributeList Int(string name, long value) =>
            Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });

        public AttributeList Float(string name, float value) =>
            Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });

        public AttributeList String(string name, string value) =>
            Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });

        public AttributeList Ints(string name, params long[] values)
        {
            var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
            a.Ints.Add(values);
            return Add(a);
        }

        public AttributeList Ints(string name, IEnumerable<int> values) => Ints(name, values.Select(v => (long)v).ToArray());

        public AttributeList Floats(string name, params float[] values)
        {
            var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
            a.Floats.Add(values);
            return Add(a);
        }

        public AttributeList Strings(string name, params string[] values)
        {
            var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
            a.Strings.Add(values.Select(ByteString.CopyFromUtf8));
            return Add(a);
        }

        public AttributeList Tensor(string name, Tensor value) =>
            Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = ToTensorProto(value) });

        private AttributeList Add(AttributeProto attribute)
        {
            node.Attribute.Add(attribute);
            return this;
        }
    }
}
