using Emc.Onnx.Protobuf;
using Google.Protobuf;

namespace Emc.Compiler.Tests.Import;

/// <summary>Builds small ONNX models with the generated protobuf classes for loader and importer tests.</summary>
internal static class TinyModels
{
    public static ModelProto Model(GraphProto graph, long opset = 13, long irVersion = 8)
    {
        var model = new ModelProto { IrVersion = irVersion, Graph = graph, ProducerName = "emc-tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    public static ValueInfoProto Tensor(string name, int elemType, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d switch
            {
                int i => new TensorShapeProto.Types.Dimension { DimValue = i },
                string s => new TensorShapeProto.Types.Dimension { DimParam = s },
                _ => new TensorShapeProto.Types.Dimension(),
            });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } } };
    }

    public static ValueInfoProto Float(string name, params object[] dims) => Tensor(name, 1, dims);

    public static NodeProto Node(string op, string name, string[] inputs, string[] outputs, string domain = "")
    {
        var node = new NodeProto { OpType = op, Name = name, Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    public static TensorProto FloatInitializer(string name, float[] values, params long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        t.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return t;
    }

    /// <summary>x[1,2] → Relu → y.</summary>
    public static GraphProto ReluGraph()
    {
        var g = new GraphProto { Name = "relu" };
        g.Input.Add(Float("x", 1, 2));
        g.Output.Add(Float("y", 1, 2));
        g.Node.Add(Node("Relu", "relu", ["x"], ["y"]));
        return g;
    }
}
