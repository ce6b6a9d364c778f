using Emc.Onnx.Protobuf;
using Google.Protobuf;

namespace Emc.Build.Tests.Support;

/// <summary>
/// Builds the tiny ONNX models the samples and tests use (opset 11, IR 6), with deterministic weights from a fixed
/// LCG. samples/models/*.onnx are these bytes (<see cref="SampleModelFilesTests"/> checks they still match; set
/// EMC_REGENERATE_SAMPLES=1 to rewrite them).
/// </summary>
public static class SampleModels
{
    /// <summary>Conv3x3(3→8)+Relu → MaxPool2 → Conv3x3(8→8)+Relu → GlobalAveragePool → Flatten → Gemm(8→classes) → Softmax.</summary>
    public static byte[] TinyCnn(int size = 16, int classes = 4, int seed = 1, string prefix = "")
    {
        var rng = new Lcg(seed);
        var graph = new GraphProto { Name = prefix + "tiny_cnn" };
        graph.Input.Add(Value(prefix + "input", 1, 3, size, size));
        graph.Output.Add(Value(prefix + "probabilities", 1, classes));
        graph.Initializer.Add(Tensor("w1", rng, 8, 3, 3, 3));
        graph.Initializer.Add(Tensor("b1", rng, 8));
        graph.Initializer.Add(Tensor("w2", rng, 8, 8, 3, 3));
        graph.Initializer.Add(Tensor("b2", rng, 8));
        graph.Initializer.Add(Tensor("w3", rng, classes, 8));
        graph.Initializer.Add(Tensor("b3", rng, classes));
        graph.Node.Add(Conv(prefix + "conv1", prefix + "input", "w1", "b1", "c1"));
        graph.Node.Add(Node("Relu", prefix + "relu1", ["c1"], ["r1"]));
        var pool = Node("MaxPool", prefix + "pool1", ["r1"], ["p1"]);
        pool.Attribute.Add(Ints("kernel_shape", 2, 2));
        pool.Attribute.Add(Ints("strides", 2, 2));
        graph.Node.Add(pool);
        graph.Node.Add(Conv(prefix + "conv2", "p1", "w2", "b2", "c2"));
        graph.Node.Add(Node("Relu", prefix + "relu2", ["c2"], ["r2"]));
        graph.Node.Add(Node("GlobalAveragePool", prefix + "gap", ["r2"], ["g"]));
        graph.Node.Add(Node("Flatten", prefix + "flatten", ["g"], ["f"]));
        var gemm = Node("Gemm", prefix + "fc", ["f", "w3", "b3"], ["logits"]);
        gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(gemm);
        graph.Node.Add(Node("Softmax", prefix + "softmax", ["logits"], [prefix + "probabilities"]));
        return Model(graph);
    }

    /// <summary>A graph with two operators no K210 compiler supports (Erf, Sin) between two Relus.</summary>
    public static byte[] UnsupportedOps(string erfName = "bad_erf", string sinName = "bad_sin")
    {
        var graph = new GraphProto { Name = "unsupported" };
        graph.Input.Add(Value("x", 1, 3, 8, 8));
        graph.Output.Add(Value("y", 1, 3, 8, 8));
        graph.Node.Add(Node("Relu", "relu_in", ["x"], ["a"]));
        graph.Node.Add(Node("Erf", erfName, ["a"], ["b"]));
        graph.Node.Add(Node("Sin", sinName, ["b"], ["c"]));
        graph.Node.Add(Node("Relu", "relu_out", ["c"], ["y"]));
        return Model(graph);
    }

    private static byte[] Model(GraphProto graph)
    {
        var model = new ModelProto { IrVersion = 6, ProducerName = "Emc.Build.Tests.SampleModels", ProducerVersion = "1", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 11 });
        return model.ToByteArray();
    }

    private static NodeProto Conv(string name, string x, string w, string b, string y)
    {
        var node = Node("Conv", name, [x, w, b], [y]);
        node.Attribute.Add(Ints("kernel_shape", 3, 3));
        node.Attribute.Add(Ints("pads", 1, 1, 1, 1));
        return node;
    }

    private static NodeProto Node(string op, string name, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        return node;
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static ValueInfoProto Value(string name, params long[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (long d in shape)
        {
            tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        };
    }

    private static TensorProto Tensor(string name, Lcg rng, params long[] shape)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(shape);
        long count = shape.Aggregate(1L, (a, d) => a * d);
        float scale = 1f / MathF.Sqrt(count / shape[0]);
        for (long i = 0; i < count; i++)
        {
            tensor.FloatData.Add(rng.NextSigned() * scale);
        }

        return tensor;
    }

    /// <summary>Numerical Recipes LCG: reproducible on every runtime, unlike System.Random.</summary>
    private sealed class Lcg(int seed)
    {
        private uint _state = (uint)seed;

        public float NextSigned()
        {
            _state = unchecked((_state * 1664525u) + 1013904223u);
            return ((_state >> 8) / 16777216f * 2f) - 1f;
        }
    }
}
