using Emc.Compiler.Tests.Compilation;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.CodeGen;

/// <summary>A generated graph whose every node is tail: its inputs play the kmodel's outputs.</summary>
internal sealed record TailOpCase(string Name, ModelProto Model, (string Name, int[] Dims)[] Inputs);

/// <summary>One small graph per op the tail generators handle, with the forms detectors and classifiers leave there
/// (broadcast constants, negative axes, Slice steps, both Softmax axis semantics, constant-index Gather…).</summary>
internal static class TailOpCases
{
    private static readonly int[] X = [1, 6, 4, 5];

    public static IReadOnlyList<TailOpCase> All()
    {
        var random = new Random(5);
        float[] Rand(int n, float lo = -1, float hi = 1) => Enumerable.Range(0, n).Select(_ => (float)(lo + (random.NextDouble() * (hi - lo)))).ToArray();
        var cases = new List<TailOpCase>();

        void Add(string name, Func<OnnxNetBuilder, (string Name, int Type)[]> body, long opset = 13, (string, int[])[]? extra = null)
        {
            var b = new OnnxNetBuilder("x", X) { Opset = opset };
            foreach (var (n, d) in extra ?? [])
            {
                b.AddInput(n, d);
            }

            cases.Add(new TailOpCase(name, b.BuildTyped(body(b)), [("x", X), .. extra ?? []]));
        }

        (string, int)[] F(params string[] names) => names.Select(n => (n, 1)).ToArray();

        Add("add_sub_mul_div", b =>
        {
            string a = b.Node("Add", ["x", b.Constant(Rand(6), 6, 1, 1)]);
            string s = b.Node("Sub", [b.Constant([0.25f], 1), a]);
            string m = b.Node("Mul", [s, b.Constant(Rand(5), 5)]);
            return F(b.Node("Div", [m, b.Constant(Rand(30, 0.5f, 2), 1, 6, 1, 5)]));
        });
        Add("exp_sigmoid_relu_pow", b =>
        {
            string e = b.Node("Exp", ["x"]);
            string g = b.Node("Sigmoid", ["x"]);
            string r = b.Node("Relu", ["x"]);
            return F(e, b.Node("Pow", [g, b.Constant([1.5f], 1)]), b.Node("Pow", [r, b.Constant([2f, 0.5f, 3f, 1f, 2.5f], 5)]));
        });
        Add("slice_steps_and_negative", b =>
        {
            string a = b.Node("Slice", ["x", b.Int64Constant(1, 0), b.Int64Constant(5, -1), b.Int64Constant(1, 3), b.Int64Constant(2, 1)]);
            string r = b.Node("Slice", ["x", b.Int64Constant(-1), b.Int64Constant(-100), b.Int64Constant(-2), b.Int64Constant(-1)]);
            return F(a, r);
        });
        Add("resize_linear_any_factor", b =>
        {
            // A segmentation head's final upsampling (DeepLabV3: 33 → 257, ×7.79, asymmetric), half_pixel on one axis only,
            // and opset-9 Upsample.
            string roi = b.Constant([], 0);
            string a = b.Node("Resize", ["x", roi, b.Constant([1f, 1f, 7.79f, 2.6f], 4)], ("mode", "linear"), ("coordinate_transformation_mode", "asymmetric"));
            string h = b.Node("Resize", ["x", roi, b.Constant([1f, 1f, 1f, 1.5f], 4)], ("mode", "linear"), ("coordinate_transformation_mode", "half_pixel"));
            string c = b.Node("Resize", ["x", roi, b.Constant([1f, 1f, 3f, 0.6f], 4)], ("mode", "linear"), ("coordinate_transformation_mode", "align_corners"));
            return F(a, h, c);
        });
        Add("resize_nearest_modes", b =>
        {
            // A YOLO neck's ×2 (asymmetric, floor), half_pixel with both roundings, a downscale and a channel axis resized.
            string roi = b.Constant([], 0);
            string up = b.Node("Resize", ["x", roi, b.Constant([1f, 1f, 2f, 2f], 4)], ("mode", "nearest"), ("coordinate_transformation_mode", "asymmetric"),
                ("nearest_mode", "floor"));
            string half = b.Node("Resize", ["x", roi, b.Constant([1f, 1f, 1.75f, 0.6f], 4)], ("mode", "nearest"));
            string ceil = b.Node("Resize", ["x", roi, b.Constant([1f, 0.5f, 3f, 1.5f], 4)], ("mode", "nearest"), ("nearest_mode", "round_prefer_ceil"));
            string sizes = b.Node("Resize", ["x", roi, b.Constant([], 0), b.Int64Constant(1, 6, 7, 9)], ("mode", "nearest"), ("coordinate_transformation_mode", "align_corners"));
            return F(up, half, ceil, sizes);
        });
        Add("upsample_nearest_opset9", b => F(b.Node("Upsample", ["x", b.Constant([1f, 1f, 2f, 3f], 4)])), opset: 9);
        Add("sum_max_min_expand_tile", b =>
        {
            string sum = b.Node("Sum", ["x", b.Constant(Rand(5), 5), b.Constant(Rand(6), 6, 1, 1)]);
            string max = b.Node("Max", ["x", b.Constant(Rand(4), 4, 1)]);
            string min = b.Node("Min", ["x", b.Constant(Rand(30), 6, 1, 5), b.Constant([0.1f], 1)]);
            string expand = b.Node("Expand", [b.Node("Slice", ["x", b.Int64Constant(0), b.Int64Constant(1), b.Int64Constant(2)]), b.Int64Constant(2, 1, 1, 3, 1)]);
            string tile = b.Node("Tile", ["x", b.Int64Constant(1, 2, 1, 3)]);
            return F(sum, max, min, expand, tile);
        });
        Add("split_pad_reducemean", b =>
        {
            // YOLO/NanoDet heads split box and class channels; Pad both ways (a negative pad crops).
            string[] parts = b.NodeWithOutputs("Split", ["x", b.Int64Constant(2, 4)], 2, ("axis", 1));
            string pad = b.Node("Pad", ["x", b.Int64Constant(0, 1, -1, 2, 0, 0, 2, -1), b.Constant([0.5f], 1)]);
            string mean = b.Node("ReduceMean", ["x"], ("axes", new[] { 1, 3 }), ("keepdims", 0));
            string all = b.Node("ReduceMean", ["x"]);
            return F(parts[0], parts[1], pad, mean, all);
        });
        Add("depthtospace_convtranspose_lrn_shrink", b =>
        {
            string dcr = b.Node("DepthToSpace", [b.Node("Slice", ["x", b.Int64Constant(0), b.Int64Constant(4), b.Int64Constant(1)])], ("blocksize", 2));
            string crd = b.Node("DepthToSpace", [b.Node("Slice", ["x", b.Int64Constant(0), b.Int64Constant(4), b.Int64Constant(1)])], ("blocksize", 2), ("mode", "CRD"));
            string up = b.Node("ConvTranspose", ["x", b.Constant(Rand(6 * 2 * 9, -0.3f, 0.3f), 6, 2, 3, 3), b.Constant(Rand(4), 4)], ("group", 2),
                ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 0, 1, 1 }), ("output_padding", new[] { 1, 0 }));
            string lrn = b.Node("LRN", ["x"], ("size", 3), ("alpha", 0.2f), ("beta", 0.75f), ("bias", 2f));
            string shrink = b.Node("Shrink", ["x"], ("lambd", 0.4f), ("bias", 0.1f));
            return F(dcr, crd, up, lrn, shrink);
        });
        Add("cast_float_int64", b =>
        [
            (b.Node("Cast", [b.Node("Mul", ["x", b.Constant([7.5f], 1)])], ("to", 7)), 7),
            (b.Node("Cast", [b.Node("ArgMax", ["x"], ("axis", 1))], ("to", 1)), 1),
        ]);
        Add("boolean_masks", b =>
        {
            // Score thresholds and masks a detector's post-processing leaves: comparisons, Not, Where, bool ↔ float casts.
            string high = b.Node("Greater", ["x", b.Constant([0.2f], 1)]);
            string low = b.Node("Less", ["x", b.Constant(Rand(5), 5)]);
            string twice = b.Node("Cast", [b.Node("Mul", ["x", b.Constant([2f], 1)])], ("to", 7));
            string odd = b.Node("Equal", [twice, b.Int64Constant(1)]);
            string kept = b.Node("Where", [high, "x", b.Node("Neg", ["x"])]);
            string zeroed = b.Node("Where", [b.Node("Not", [low]), "x", b.Constant([0f], 1)]);
            string asFloat = b.Node("Cast", [odd], ("to", 1));
            string backToBool = b.Node("Cast", [b.Node("Cast", [high], ("to", 1))], ("to", 9));
            return F(kept, zeroed, asFloat, b.Node("Cast", [b.Node("Equal", [backToBool, high])], ("to", 1)));
        });
        Add("gather_constant_indices", b =>
        {
            string few = b.Node("Gather", ["x", b.Int64Constant(0, -1, 2)], ("axis", 1));
            string many = b.Node("Gather", ["x", b.Int64Constant(4, 3, 2, 1, 0, 0, -5)], ("axis", -1));
            string scalar = b.Node("Gather", ["x", ScalarIndex(b)], ("axis", 2));
            return F(few, many, scalar);
        });
        Add("concat_transpose_reshape", b =>
        {
            string t = b.Node("Transpose", ["x"], ("perm", new[] { 0, 2, 3, 1 }));
            string r = b.Node("Reshape", [t, b.Int64Constant(1, -1, 6)]);
            string c = b.Node("Concat", [r, b.Constant(Rand(12), 1, 2, 6)], ("axis", 1));
            return F(c, b.Node("Concat", ["x", "y"], ("axis", -2)));
        }, extra: [("y", [1, 6, 3, 5])]);
        Add("flatten_squeeze_unsqueeze", b =>
        {
            string f = b.Node("Flatten", ["x"], ("axis", 2));
            string s = b.Node("Squeeze", ["x", b.Int64Constant(0)]);
            return F(f, b.Node("Unsqueeze", [s, b.Int64Constant(-1)]));
        });
        Add("softmax_logsoftmax_opset13", b =>
            F(b.Node("Softmax", ["x"], ("axis", 1)), b.Node("LogSoftmax", ["x"]), b.Node("Softmax", ["x"], ("axis", -2))));
        Add("softmax_logsoftmax_opset11", b =>
            F(b.Node("Softmax", ["x"]), b.Node("LogSoftmax", ["x"], ("axis", 2))), opset: 11);
        Add("argmax", b =>
        [
            (b.Node("ArgMax", ["x"], ("axis", 1), ("keepdims", 0)), 7),
            (b.Node("ArgMax", ["x"], ("axis", -1), ("select_last_index", 1)), 7),
        ]);
        Add("gemm_batchnorm_prelu", b =>
        {
            string n = b.Node("BatchNormalization", ["x", b.Constant(Rand(6), 6), b.Constant(Rand(6), 6), b.Constant(Rand(6), 6), b.Constant(Rand(6, 0.1f, 2), 6)],
                ("epsilon", 1e-3f));
            string p = b.Node("PRelu", [n, b.Constant(Rand(6), 6, 1, 1)]);
            string f = b.Node("Flatten", [p]);
            string g = b.Node("Gemm", [f, b.Constant(Rand(10 * 120, -0.2f, 0.2f), 10, 120), b.Constant(Rand(10), 10)], ("transB", 1), ("alpha", 0.5f), ("beta", 2f));
            return F(b.Node("LogSoftmax", [g]));
        });
        Add("conv_groups_strides_dilations", b =>
        {
            string plain = b.Conv("x", Rand(8 * 6 * 9, -0.3f, 0.3f), Rand(8), 8, 6, 3, 1, [1, 1, 1, 1]);
            string grouped = b.Node("Conv", ["x", b.Constant(Rand(4 * 3 * 9), 4, 3, 3, 3)], ("group", 2), ("strides", new[] { 2, 1 }),
                ("pads", new[] { 0, 2, 1, 0 }), ("dilations", new[] { 1, 2 }));
            string depthwise = b.Conv("x", Rand(6 * 9), Rand(6), 6, 6, 3, 2, [1, 1, 1, 1], group: 6);
            return F(plain, grouped, depthwise);
        });
        Add("pools", b =>
        [
            (b.Node("MaxPool", ["x"], ("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 0, 1, 1 }), ("ceil_mode", 1)), 1),
            (b.Node("AveragePool", ["x"], ("kernel_shape", new[] { 2, 3 }), ("pads", new[] { 1, 1, 0, 1 })), 1),
            (b.Node("AveragePool", ["x"], ("kernel_shape", new[] { 3, 3 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 1, 1, 1, 1 }), ("count_include_pad", 1)), 1),
            (b.Node("GlobalAveragePool", ["x"]), 1),
            (b.Node("GlobalMaxPool", ["x"]), 1),
        ]);
        Add("matmul_batched_and_vector", b =>
        {
            string batched = b.Node("MatMul", ["x", b.Constant(Rand(5 * 3), 5, 3)]);
            string broadcast = b.Node("MatMul", [b.Constant(Rand(2 * 1 * 3 * 4), 2, 1, 3, 4), "x"]);
            string vector = b.Node("MatMul", ["x", b.Constant(Rand(5), 5)]);
            return F(batched, broadcast, vector);
        });
        Add("box_decode", b =>
        {
            // An SSD-style decode: centre = xy·0.1·wh_a + xy_a, size = exp(wh·0.2)·wh_a, corners = centre ∓ size/2.
            string xy = b.Node("Slice", ["d", b.Int64Constant(0), b.Int64Constant(2), b.Int64Constant(-1)]);
            string wh = b.Node("Slice", ["d", b.Int64Constant(2), b.Int64Constant(4), b.Int64Constant(-1)]);
            string anchorsXy = b.Constant(Rand(20, 0, 1), 10, 2), anchorsWh = b.Constant(Rand(20, 0.1f, 0.5f), 10, 2);
            string centre = b.Node("Add", [b.Node("Mul", [b.Node("Mul", [xy, b.Constant([0.1f], 1)]), anchorsWh]), anchorsXy]);
            string size = b.Node("Mul", [b.Node("Exp", [b.Node("Mul", [wh, b.Constant([0.2f], 1)])]), anchorsWh]);
            string half = b.Node("Div", [size, b.Constant([2f], 1)]);
            string boxes = b.Node("Concat", [b.Node("Sub", [centre, half]), b.Node("Add", [centre, half])], ("axis", 2));
            string scores = b.Node("Softmax", [b.Node("Slice", ["d", b.Int64Constant(4), b.Int64Constant(7), b.Int64Constant(2)])], ("axis", -1));
            return F(boxes, scores, b.Node("Transpose", ["x"], ("perm", new[] { 0, 2, 3, 1 })));
        }, extra: [("d", [1, 10, 7])]);
        Add("unary_activations", b =>
        {
            // What MobileNetV3/PaddleOCR and Keras heads leave after a cut: hard-sigmoid/hard-swish, clips both ways.
            string clip6 = b.Node("Clip", ["x", b.Constant([0f], 1), b.Constant([6f], 1)]);
            string clipLow = b.Node("Clip", ["x", b.Constant([-0.5f], 1)]);
            string hs = b.Node("HardSigmoid", ["x"], ("alpha", 0.1666667f), ("beta", 0.5f));
            string hw = b.Node("HardSwish", [b.Node("Mul", ["x", b.Constant([4f], 1)])]);
            string leaky = b.Node("LeakyRelu", ["x"], ("alpha", 0.1f));
            string elu = b.Node("Elu", ["x"], ("alpha", 0.7f));
            string selu = b.Node("Selu", ["x"]);
            string soft = b.Node("Softplus", [b.Node("Mul", ["x", b.Constant([20f], 1)])]);
            return F(clip6, clipLow, hs, hw, leaky, elu, selu, soft, b.Node("Sign", [b.Node("Relu", ["x"])]));
        }, opset: 14);
        Add("clip_opset6_attributes", b => F(b.Node("Clip", ["x"], ("min", -0.25f), ("max", 0.75f)), b.Node("Clip", ["x"], ("max", 0.5f))), opset: 6);
        Add("lstm_bidirectional_like_ppocr", b =>
        {
            // PaddleOCR's recogniser: [seq, batch, input] from the backbone, bidirectional with bias and initial states,
            // Y transposed to [seq, batch, directions, hidden] and flattened, as paddle2onnx writes it.
            const int Hidden = 3, Input = 5;
            string seq = b.Node("Reshape", ["x", b.Int64Constant(6, 4, Input)]);
            string[] o = b.NodeWithOutputs("LSTM", [seq, b.Constant(Rand(2 * 4 * Hidden * Input), 2, 4 * Hidden, Input),
                b.Constant(Rand(2 * 4 * Hidden * Hidden), 2, 4 * Hidden, Hidden), b.Constant(Rand(2 * 8 * Hidden), 2, 8 * Hidden), "",
                b.Constant(Rand(2 * 4 * Hidden), 2, 4, Hidden), b.Constant(Rand(2 * 4 * Hidden), 2, 4, Hidden)], 3,
                ("direction", "bidirectional"), ("hidden_size", Hidden));
            string t = b.Node("Transpose", [o[0]], ("perm", new[] { 0, 2, 1, 3 }));
            return F(b.Node("Reshape", [t, b.Int64Constant(0, 0, -1)]), o[1], o[2]);
        }, opset: 11);
        Add("lstm_reverse_peepholes_clip_and_forward_coupled_relu", b =>
        {
            const int Hidden = 4, Input = 20;
            string seq = b.Node("Reshape", ["x", b.Int64Constant(6, 1, Input)]);
            string[] reverse = b.NodeWithOutputs("LSTM", [seq, b.Constant(Rand(4 * Hidden * Input), 1, 4 * Hidden, Input),
                b.Constant(Rand(4 * Hidden * Hidden), 1, 4 * Hidden, Hidden), b.Constant(Rand(8 * Hidden), 1, 8 * Hidden), "", "", "",
                b.Constant(Rand(3 * Hidden), 1, 3 * Hidden)], 2, ("direction", "reverse"), ("hidden_size", Hidden), ("clip", 0.8f));
            string forward = b.Node("LSTM", [seq, b.Constant(Rand(4 * Hidden * Input), 1, 4 * Hidden, Input),
                b.Constant(Rand(4 * Hidden * Hidden), 1, 4 * Hidden, Hidden)], ("hidden_size", Hidden), ("input_forget", 1),
                ("activations", new[] { "Sigmoid", "Tanh", "Relu" }));
            return F(reverse[0], reverse[1], forward);
        }, opset: 14);
        Add("gru_bidirectional_and_reverse_linear_before_reset", b =>
        {
            // A CRNN recogniser's GRU (bias, initial state) and a keyword spotter's reverse GRU with linear_before_reset
            // (PyTorch's export), clip and a Relu candidate.
            const int Hidden = 4, Input = 5;
            string seq = b.Node("Reshape", ["x", b.Int64Constant(6, 4, Input)]);
            string[] both = b.NodeWithOutputs("GRU", [seq, b.Constant(Rand(2 * 3 * Hidden * Input), 2, 3 * Hidden, Input),
                b.Constant(Rand(2 * 3 * Hidden * Hidden), 2, 3 * Hidden, Hidden), b.Constant(Rand(2 * 6 * Hidden), 2, 6 * Hidden), "",
                b.Constant(Rand(2 * 4 * Hidden), 2, 4, Hidden)], 2, ("direction", "bidirectional"), ("hidden_size", Hidden));
            string reverse = b.Node("GRU", [seq, b.Constant(Rand(3 * Hidden * Input), 1, 3 * Hidden, Input),
                b.Constant(Rand(3 * Hidden * Hidden), 1, 3 * Hidden, Hidden), b.Constant(Rand(6 * Hidden), 1, 6 * Hidden)],
                ("direction", "reverse"), ("hidden_size", Hidden), ("linear_before_reset", 1), ("clip", 0.9f), ("activations", new[] { "Sigmoid", "Relu" }));
            string plain = b.Node("GRU", [seq, b.Constant(Rand(3 * Hidden * Input), 1, 3 * Hidden, Input),
                b.Constant(Rand(3 * Hidden * Hidden), 1, 3 * Hidden, Hidden)], ("hidden_size", Hidden), ("linear_before_reset", 1));
            return F(both[0], both[1], reverse, plain);
        }, opset: 14);
        return cases;
    }

    private static string ScalarIndex(OnnxNetBuilder b)
    {
        // A 0-d index drops the axis.
        string name = b.Int64Constant(-1);
        return b.Node("Squeeze", [name, b.Int64Constant(0)]);
    }
}
