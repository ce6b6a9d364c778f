using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.K210.Lowering;

/// <summary>
/// How the model's graph input relates to the planar C×H×W uint8 image the device delivers: the layout the ONNX
/// model declares (<see cref="ModelLayout"/>, e.g. "NCHW", "NHWC" for tf2onnx/Keras, "NWHC" for mtcnn) and, when
/// it is not planar, the model-input index each device byte stands for. The device bytes stay CHW; calibration
/// data and the float evaluator see the model's own order.
/// </summary>
internal sealed class InputLayout
{
    private readonly int[]? _modelIndexOfDevice;

    private InputLayout(string modelLayout, int channels, int height, int width, int[]? modelIndexOfDevice)
    {
        ModelLayout = modelLayout;
        Channels = channels;
        Height = height;
        Width = width;
        _modelIndexOfDevice = modelIndexOfDevice;
    }

    /// <summary>The layout the ONNX graph input declares, in N/C/H/W letters.</summary>
    public string ModelLayout { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>The device tensor as a batch-1 NCHW shape.</summary>
    public int[] DeviceShape => [1, Channels, Height, Width];

    /// <summary>True when model input and device bytes are in the same order.</summary>
    public bool IsPlanar => _modelIndexOfDevice is null;

    /// <summary>A [1, C, H, W] graph input fed as it is.</summary>
    public static InputLayout Planar(Shape shape) => new("NCHW", shape[1], shape[2], shape[3], null);

    /// <summary>
    /// The layout a graph input's sole consumer gives it when that node only relabels or permutes it into the
    /// [1, C, H, W] a Conv reads: a Transpose keeping the batch axis first (NHWC → (0,3,1,2), NWHC → (0,3,2,1)), or
    /// a Reshape to rank 4 (a pure relabel of the bytes, e.g. [1,H,W,1] → [1,1,H,W]). Null when the input is used
    /// as it is.
    /// </summary>
    public static (InputLayout Layout, Node Node)? Folding(Ir.Graph graph, Value input)
    {
        if (input.Shape is not { Rank: 4 } inShape || input.Consumers.Count != 1 || graph.Outputs.Contains(input))
        {
            return null;
        }

        var node = input.Consumers[0];
        if (node.Outputs.Count != 1 || node.Outputs[0].Shape is not { Rank: 4 } fed || fed[0] != 1 || node.Inputs[0] != input)
        {
            return null;
        }

        if (node.OpType == "Transpose" && node.Parameters is TransposeParameters { Perm: [0, ..] perm })
        {
            return (new InputLayout(LayoutName(perm), fed[1], fed[2], fed[3], ModelIndexOfDevice(inShape, perm)), node);
        }

        if (node.OpType == "Reshape" && !fed.Equals(inShape))
        {
            string name = inShape[1] == fed[2] && inShape[2] == fed[3] && inShape[3] == fed[1] ? "NHWC" : $"reshaped {inShape} → NCHW";
            return (new InputLayout(name, fed[1], fed[2], fed[3], null), node);
        }

        return null;
    }

    /// <summary>The layout to use for the graph: folded when <see cref="Folding"/> finds a layout node, else planar.</summary>
    public static InputLayout Of(Ir.Graph graph) =>
        Folding(graph, graph.Inputs[0])?.Layout ?? Planar(graph.Inputs[0].Shape!);

    /// <summary>Model-order data (the graph input's row-major order) → device planar CHW order.</summary>
    public T[] ToDeviceOrder<T>(T[] model)
    {
        if (_modelIndexOfDevice is not { } map)
        {
            return model;
        }

        var device = new T[map.Length];
        for (int j = 0; j < map.Length; j++)
        {
            device[j] = model[map[j]];
        }

        return device;
    }

    /// <summary>Device planar CHW data → the graph input's row-major order.</summary>
    public T[] ToModelOrder<T>(T[] device)
    {
        if (_modelIndexOfDevice is not { } map)
        {
            return device;
        }

        var model = new T[map.Length];
        for (int j = 0; j < map.Length; j++)
        {
            model[map[j]] = device[j];
        }

        return model;
    }

    /// <summary>Output axis k of the transpose (N, C, H, W) reads input axis perm[k]: the input axis gets that letter.</summary>
    private static string LayoutName(int[] perm)
    {
        var letters = new char[4];
        for (int k = 0; k < 4; k++)
        {
            letters[perm[k]] = "NCHW"[k];
        }

        return new string(letters);
    }

    private static int[]? ModelIndexOfDevice(Shape input, int[] perm)
    {
        if (perm is [0, 1, 2, 3])
        {
            return null;
        }

        long[] strides = input.Strides();
        int[] outDims = perm.Select(a => input[a]).ToArray();
        var map = new int[(int)input.ElementCount];
        int j = 0;
        for (int c = 0; c < outDims[1]; c++)
        {
            for (int y = 0; y < outDims[2]; y++)
            {
                for (int x = 0; x < outDims[3]; x++)
                {
                    map[j++] = (int)((c * strides[perm[1]]) + (y * strides[perm[2]]) + (x * strides[perm[3]]));
                }
            }
        }

        return map;
    }
}
