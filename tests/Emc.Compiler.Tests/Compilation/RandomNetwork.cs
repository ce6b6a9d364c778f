namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// A seeded random composition of KPU-expressible layers, built together with a worst-case bound on the max abs
/// error of its compiled, simulated output against the float evaluator.
///
/// Bound derivation (∞-norms; <c>e_v</c> = error bound of value v, <c>Δ_v = (max(hi,0) − min(lo,0))/255</c> its uint8
/// step from the calibrated range, <c>M_v</c> = max |v|):
/// • every value may be rounded to uint8 once (KPU conv outputs, QUANTIZE, REQUANTIZE, QUANTIZED_ADD): + ½Δ_v. The
///   calibration set is the evaluation set (MinMax), so clamping never moves a value further from the truth;
/// • a conv / FC with rows Σ|w| ≤ G has gain G on the input error; its 8-bit weights (per-channel scaled to the global
///   range, which for these symmetric random weights is at most 2× wider than a channel's own span) are off by at
///   most ½·4·max|w_o|/255 each, adding Σ_taps |Δw|·|x| ≤ (2·max|w_o|/255)·fan-in·(M_in + e_in);
/// • a per-channel PRelu (|a| ≤ 1) is 1-Lipschitz but rounded three times (two halves, their sum): + Δ more;
/// • Relu, max/avg pools, nearest resize, concat, flatten, global average pool are 1-Lipschitz: e_out ≤ e_in;
///   softmax's Jacobian has ∞-norm ≤ ½ (we use 1); add: e_a + e_b.
/// Wrong pixel picks, wrong parameters or wrong slices produce errors of the order of M, far above the bound.
/// </summary>
internal sealed class RandomNetwork
{
    private readonly Random _random;
    private readonly OnnxNetBuilder _b;
    private readonly List<Func<Func<string, double>, Func<string, (double Min, double Max)>, (string Value, double Error)>> _rules = [];
    private readonly List<string> _ops = [];

    private readonly bool _convKernels;

    /// <param name="seed">The network's seed (seeds keep generating the same networks).</param>
    /// <param name="convKernels">Also draw the kernels the KPU does not run natively (k×k up to 7, 1×N, N×1, dilation,
    /// groups, unequal strides, "valid" pads). Off keeps every seed's network exactly as it always was.</param>
    /// <param name="layout">Also use layout ops: an NHWC or NWHC graph input (a Transpose before the first conv) and
    /// Keras-style heads (Transpose (0,2,3,1) → Flatten → Gemm, or an NHWC output).</param>
    /// <param name="perChannelPRelu">Also draw PRelu with one slope per channel in [−1, 1] as a conv's activation.</param>
    /// <param name="linearResize">Draw resizes more often, and linear ones (half_pixel, pytorch_half_pixel or
    /// asymmetric; ×2 or ×4 on maps up to 8×8) besides nearest.</param>
    /// <param name="transposedConv">Also draw stride-2 ConvTranspose (kernel 2, 3 or 4, PyTorch's usual pads and
    /// output_padding, groups 1 or depthwise) on maps up to 8×8.</param>
    /// <param name="layerRewrites">Also draw the patterns the layer-rewrites stage turns into fewer layers: CReLU after a
    /// conv (Relu(Concat(y, −y))) and a Relu after a Concat of two convs.</param>
    /// <param name="differences">Two-branch blocks subtract their branches (Sub of two run-time tensors) half the time.</param>
    /// <param name="tables">Also draw SiLU (x·sigmoid(x), a REQUANTIZE table) as a conv's activation and after a Concat of
    /// two convs.</param>
    /// <param name="bigMaps">Start at a large input (257×257, 257×260, 256×259, 129×129 or 160×160): a 3×3 stem (stride 2
    /// on inputs over 65536 pixels, odd sides included) and a MobileNetV2 block (1×1 to 48 channels, 3×3 depthwise of
    /// stride 1 or 2, 1×1 projection) whose depthwise conv overflows KPU RAM, then the usual random steps.</param>
    /// <param name="rowBands">Start at an input over 65536 pixels (240×320, 300×256, 256×300 or 200×400) with stride-1
    /// convs whose output planes no KPU layer holds (3×3, 1×1 to 16 channels, 3×3 depthwise: row bands), then a 3×3
    /// stride-2 conv and the usual random steps.</param>
    /// <param name="stridedBands">Start at a 640×480-class input (480×640 or 512×576) whose stride-2 stem and stride-2
    /// depthwise conv write planes over 65536 pixels (strided row bands), with a 1×1 conv on row blocks or in bands between
    /// them, then the usual random steps.</param>
    public RandomNetwork(int seed, bool convKernels = false, bool layout = false, bool perChannelPRelu = false, bool linearResize = false,
        bool transposedConv = false, bool layerRewrites = false, bool differences = false, bool tables = false, bool bigMaps = false, bool rowBands = false,
        bool stridedBands = false)
    {
        _rowBands = rowBands;
        _stridedBands = stridedBands;
        _differences = differences;
        _tables = tables;
        _bigMaps = bigMaps;
        _layerRewrites = layerRewrites;
        _linearResize = linearResize;
        _transposedConv = transposedConv;
        _convKernels = convKernels;
        _perChannelPRelu = perChannelPRelu;
        _random = new Random(seed);
        _layout = layout;
        if (bigMaps || rowBands || stridedBands)
        {
            var sizes = stridedBands ? _stridedBandSizes : rowBands ? _bandSizes : _bigSizes;
            (Height, Width) = sizes[_random.Next(sizes.Length)];
        }
        else
        {
            Height = Width = 8 + (4 * _random.Next(3)); // 8, 12 or 16
        }

        if (layout)
        {
            Width = Height + 4; // H ≠ W: a transposed spatial order cannot pass
            _widthMajor = _random.Next(2) == 0;
            _b = _widthMajor ? new OnnxNetBuilder("x", 1, Width, Height, 3) : new OnnxNetBuilder("x", 1, Height, Width, 3);
        }
        else
        {
            _b = new OnnxNetBuilder("x", 1, 3, Height, Width);
        }

        Build();
    }

    private static readonly (int H, int W)[] _bigSizes = [(257, 257), (257, 260), (256, 259), (129, 129), (160, 160)];

    private static readonly (int H, int W)[] _bandSizes = [(240, 320), (300, 256), (256, 300), (200, 400)];

    private static readonly (int H, int W)[] _stridedBandSizes = [(480, 640), (512, 576)];

    private readonly bool _bigMaps;
    private readonly bool _rowBands;
    private readonly bool _stridedBands;
    private readonly bool _layout;
    private readonly bool _differences;
    private readonly bool _widthMajor;
    private readonly bool _linearResize;

    /// <summary>Planar CHW device bytes → the graph input's order (NHWC or NWHC in layout networks).</summary>
    public byte[] ModelOrder(byte[] chw)
    {
        if (!_layout)
        {
            return chw;
        }

        var m = new byte[chw.Length];
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < Height; y++)
            {
                for (int x = 0; x < Width; x++)
                {
                    int at = _widthMajor ? (((x * Height) + y) * 3) + c : (((y * Width) + x) * 3) + c;
                    m[at] = chw[(((c * Height) + y) * Width) + x];
                }
            }
        }

        return m;
    }

    public int Height { get; }

    public int Width { get; }

    public string Output { get; private set; } = "x";

    public string Description => string.Join(" → ", _ops);

    public Onnx.Protobuf.ModelProto Model => _b.Build(Output);

    /// <summary>The bound on the output's max abs error given the evaluated ranges of every value.</summary>
    public double ErrorBound(IReadOnlyDictionary<string, (double Min, double Max)> ranges)
    {
        var errors = new Dictionary<string, double>(StringComparer.Ordinal) { ["x"] = 0 };
        (double, double) Range(string v) => ranges[v];
        double Err(string v) => errors[v];
        foreach (var rule in _rules)
        {
            var (value, e) = rule(Err, Range);
            var (lo, hi) = ranges[value];
            errors[value] = e + (0.5 * (Math.Max(hi, 0) - Math.Min(lo, 0)) / 255);
        }

        return errors[Output];
    }

    private void Build()
    {
        int c = 3, h = Height, w = Width;
        string t = "x";
        if (_layout)
        {
            t = Unary(t, "Transpose", _widthMajor ? "nwhc→nchw" : "nhwc→nchw", ("perm", _widthMajor ? new[] { 0, 3, 2, 1 } : new[] { 0, 3, 1, 2 }));
        }

        if (_stridedBands)
        {
            (t, h, w) = StridedBandStart(t, h, w);
        }
        else if (_rowBands)
        {
            (t, h, w) = RowBandStart(t, h, w);
        }
        else if (_bigMaps)
        {
            (t, h, w) = BigMapStart(t, h, w);
        }
        else
        {
            t = Conv(t, c, 4 + (4 * _random.Next(2)), 3, 1, [1, 1, 1, 1], Act());
        }

        c = _lastChannels;
        int steps = 2 + _random.Next(4);
        for (int i = 0; i < steps; i++)
        {
            if (_layout && c % 2 == 0 && _random.Next(3) == 0)
            {
                int kind = _random.Next(3);
                if (kind == 2 && h % 2 == 0 && w % 2 == 0 && h >= 8 && w >= 8)
                {
                    t = Focus(t, c, h, w);
                    (h, w) = (h / 2, w / 2);
                }
                else
                {
                    t = kind == 0 ? ChannelShuffle(t, c, h, w) : SplitConcat(t, c);
                }

                c = _lastChannels;
                continue;
            }

            if (_layerRewrites && _random.Next(3) == 0)
            {
                if (_random.Next(2) == 0)
                {
                    string y = Conv(t, c, 4, 3, 1, [1, 1, 1, 1], null);
                    t = Unary(Concat(y, Unary(y, "Neg", "neg")), "Relu", "relu (CReLU)");
                }
                else
                {
                    string a = Conv(t, c, 4, 1, 1, [0, 0, 0, 0], null);
                    string b = Conv(t, c, 4, 3, 1, [1, 1, 1, 1], null);
                    t = Unary(Concat(a, b), "Relu", "relu after concat");
                }

                c = _lastChannels = 8;
                continue;
            }

            if (_tables && _random.Next(4) == 0)
            {
                string a = Conv(t, c, 4, 1, 1, [0, 0, 0, 0], null);
                string b = Conv(t, c, 4, 3, 1, [1, 1, 1, 1], null);
                t = Activation(Concat(a, b), "Silu");
                c = _lastChannels = 8;
                continue;
            }

            if (_linearResize && h <= 8 && w <= 8 && _random.Next(3) == 0)
            {
                int f = _random.Next(2) == 0 ? 4 : 2;
                t = LinearResize(t, f);
                (h, w) = (h * f, w * f);
                continue;
            }

            if (_transposedConv && h <= 8 && w <= 8 && _random.Next(2) == 0)
            {
                (t, h, w) = TransposedConv(t, c, h, w);
                c = _lastChannels;
                continue;
            }

            int choice = _random.Next(_convKernels ? 15 : 11);
            bool canHalve = h >= 8 && w >= 8 && h % 2 == 0 && w % 2 == 0;
            switch (choice)
            {
                case >= 11:
                    (t, h, w) = DecomposedConv(t, c, h, w, choice);
                    break;
                case 0:
                    t = Conv(t, c, 4 * (1 + _random.Next(3)), 1, 1, [0, 0, 0, 0], Act());
                    break;
                case 1:
                    t = Conv(t, c, 4 * (1 + _random.Next(3)), 3, 1, [1, 1, 1, 1], Act());
                    break;
                case 2:
                    t = Depthwise(t, c, 1, [1, 1, 1, 1]);
                    break;
                case 3 when canHalve:
                    t = Conv(t, c, 8, 3, 2, _random.Next(2) == 0 ? [1, 1, 1, 1] : [0, 0, 1, 1], Act());
                    (h, w) = (h / 2, w / 2);
                    break;
                case 4 when canHalve:
                    t = Depthwise(t, c, 2, _random.Next(2) == 0 ? [1, 1, 1, 1] : [0, 0, 1, 1]);
                    t = Conv(t, c, 8, 1, 1, [0, 0, 0, 0], Act());
                    (h, w) = (h / 2, w / 2);
                    break;
                case 5 when canHalve:
                    t = Unary(t, "MaxPool", "maxpool 2x2", ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }));
                    (h, w) = (h / 2, w / 2);
                    break;
                case 6 when canHalve:
                    t = Unary(t, "AveragePool", "avgpool 2x2", ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }));
                    (h, w) = (h / 2, w / 2);
                    break;
                case 7:
                    {
                        string a = Conv(t, c, c, 1, 1, [0, 0, 0, 0], null);
                        string b = Conv(t, c, c, 3, 1, [1, 1, 1, 1], null);
                        t = Add(a, b, _random.Next(2) == 0);
                        break;
                    }

                case 8:
                    {
                        int ca = 4 * (1 + _random.Next(2)), cb = 4 * (1 + _random.Next(2));
                        string a = Conv(t, c, ca, 1, 1, [0, 0, 0, 0], Act());
                        string b = Conv(t, c, cb, 3, 1, [1, 1, 1, 1], Act());
                        t = Concat(a, b);
                        _lastChannels = ca + cb;
                        break;
                    }

                case 9 when h <= 8 && w <= 8:
                    t = Resize(t);
                    (h, w) = (h * 2, w * 2);
                    break;
                default:
                    t = Conv(t, c, 8, 3, 1, [1, 1, 1, 1], Act());
                    break;
            }

            c = _lastChannels;
        }

        if (_layout && LayoutHead(t, c, h, w))
        {
            return;
        }

        switch (_random.Next(3))
        {
            case 0:
                Output = t;
                break;
            default:
                {
                    string g = Unary(t, "GlobalAveragePool", "gap");
                    string f = Unary(g, "Flatten", "flatten");
                    int n = 4 + _random.Next(8);
                    string y = Gemm(f, c, n);
                    Output = _random.Next(2) == 0 ? Unary(y, "Softmax", "softmax") : y;
                    break;
                }
        }
    }

    private int _lastChannels;

    /// <summary>The stem and the MobileNetV2 block of <c>bigMaps</c>: (output, height, width).</summary>
    private (string Value, int H, int W) BigMapStart(string x, int h, int w)
    {
        int stride = (long)h * w > 65536 ? 2 : 1;
        string t = Conv(x, 3, 8, 3, stride, [1, 1, 1, 1], Act());
        (h, w) = ((h + stride - 1) / stride, (w + stride - 1) / stride);
        t = Conv(t, 8, 48, 1, 1, [0, 0, 0, 0], Act());
        int dwStride = 1 + _random.Next(2);
        t = Activation(Depthwise(t, 48, dwStride, [1, 1, 1, 1]), Act());
        (h, w) = ((h + dwStride - 1) / dwStride, (w + dwStride - 1) / dwStride);
        return (Conv(t, 48, 8, 1, 1, [0, 0, 0, 0], null), h, w);
    }

    /// <summary>The start of <c>rowBands</c>: three stride-1 convs in row bands, then a stride-2 conv (KPU pool type 5)
    /// that brings the map under 65536 pixels: (output, height, width).</summary>
    private (string Value, int H, int W) RowBandStart(string x, int h, int w)
    {
        string t = Conv(x, 3, 8, 3, 1, [1, 1, 1, 1], Act());
        t = Conv(t, 8, 16, 1, 1, [0, 0, 0, 0], Act());
        t = Activation(Depthwise(t, 16, 1, [1, 1, 1, 1]), Act());
        return (Conv(t, 16, 8, 3, 2, [1, 1, 1, 1], null), h / 2, w / 2);
    }

    /// <summary>The start of <c>stridedBands</c>: a 3×3 stride-2 stem and, after a 1×1 conv, a 3×3 stride-2 depthwise conv,
    /// each writing a plane over 65536 pixels at stride 1 or after the pool; then a 1×1 conv (or not, so the depthwise
    /// bands are picked by the CPU): (output, height, width).</summary>
    private (string Value, int H, int W) StridedBandStart(string x, int h, int w)
    {
        string t = Conv(x, 3, 8, 3, 2, [1, 1, 1, 1], Act());
        t = Conv(t, 8, 8 + (8 * _random.Next(2)), 1, 1, [0, 0, 0, 0], Act());
        int c = _lastChannels;
        t = Activation(Depthwise(t, c, 2, [1, 1, 1, 1]), Act());
        if (_random.Next(2) == 0)
        {
            t = Conv(t, c, 8, 1, 1, [0, 0, 0, 0], Act());
        }

        return (t, h / 4, w / 4);
    }

    /// <summary>One of the kernels that go through shifted windows, groups or dilation; the map stays at least 4×4.</summary>
    private (string Value, int H, int W) DecomposedConv(string x, int c, int h, int w, int choice)
    {
        int[] sizes = [1, 3, 5, 7];
        int kh, kw, dh = 1, dw = 1, sh = 1, sw = 1, group = 1, oc = 4 * (1 + _random.Next(3));
        switch (choice)
        {
            case 11: // k×k, 1×N or N×1
                kh = sizes[_random.Next(4)];
                kw = _random.Next(2) == 0 ? kh : sizes[_random.Next(4)];
                break;
            case 12: // depthwise 5×5 or 7×7
                kh = kw = 5 + (2 * _random.Next(2));
                group = oc = c;
                break;
            case 13: // grouped
                kh = kw = 1 + (2 * _random.Next(2));
                group = c % 4 == 0 ? 4 : 2;
                oc = group * (1 + _random.Next(3));
                break;
            default: // dilated 3×3
                kh = kw = 3;
                dh = dw = 2 + _random.Next(2);
                break;
        }

        if (_random.Next(3) == 0)
        {
            (sh, sw) = _random.Next(3) switch { 0 => (1, 2), 1 => (2, 1), _ => (2, 2) };
        }

        int eh = ((kh - 1) * dh) + 1, ew = ((kw - 1) * dw) + 1;
        bool valid = _random.Next(4) == 0;
        int[] pads = valid ? [0, 0, 0, 0] : [(eh - 1) / 2, (ew - 1) / 2, eh / 2, ew / 2];
        int oh = ((h + pads[0] + pads[2] - eh) / sh) + 1, ow = ((w + pads[1] + pads[3] - ew) / sw) + 1;
        if (oh < 4 || ow < 4)
        {
            (sh, sw, pads) = (1, 1, [(eh - 1) / 2, (ew - 1) / 2, eh / 2, ew / 2]);
            (oh, ow) = (h, w);
        }

        int per = c / group * kh * kw;
        var weights = Weights(oc, per, 1.0);
        string y = _b.Node("Conv", [x, _b.Constant(weights, oc, c / group, kh, kw), _b.Constant(Bias(oc), oc)],
            ("kernel_shape", new[] { kh, kw }), ("strides", new[] { sh, sw }), ("pads", pads), ("dilations", new[] { dh, dw }), ("group", group));
        _ops.Add($"conv{kh}x{kw}/s{sh}x{sw} d{dh} g{group} p[{string.Join(",", pads)}] {c}→{oc}");
        AddLinearRule(y, x, weights, oc, per);
        _lastChannels = oc;
        return (Activation(y, Act()), oh, ow);
    }

    private readonly bool _transposedConv;

    private readonly bool _layerRewrites;

    private readonly bool _tables;

    /// <summary>
    /// A stride-2 ConvTranspose: k2 p0 (2h), k3 p1 with output_padding 0 or 1 (2h − 1 or 2h), k4 p1 (2h). Each output
    /// sums a subset of its channel's taps, so the rows' Σ|w| (over input channels and taps) bound its gain.
    /// </summary>
    private (string Value, int H, int W) TransposedConv(string x, int c, int h, int w)
    {
        int k = 2 + _random.Next(3), pad = k == 2 ? 0 : 1, outputPadding = k == 3 ? _random.Next(2) : 0;
        bool depthwise = _random.Next(4) == 0;
        int group = depthwise ? c : 1, oc = depthwise ? c : 4 * (1 + _random.Next(2)), cg = c / group, mg = oc / group, taps = k * k;
        int per = cg * taps;
        var rows = Weights(oc, per, 1.0);
        var onnx = new float[c * mg * taps];
        for (int o = 0; o < oc; o++)
        {
            for (int i = 0; i < cg; i++)
            {
                for (int t = 0; t < taps; t++)
                {
                    onnx[((((((o / mg) * cg) + i) * mg) + (o % mg)) * taps) + t] = rows[(((o * cg) + i) * taps) + t];
                }
            }
        }

        string y = _b.Node("ConvTranspose", [x, _b.Constant(onnx, c, mg, k, k), _b.Constant(Bias(oc), oc)],
            ("strides", new[] { 2, 2 }), ("pads", new[] { pad, pad, pad, pad }), ("output_padding", new[] { outputPadding, outputPadding }), ("group", group));
        _ops.Add($"convtranspose{k}x{k}/s2 p{pad} op{outputPadding} g{group} {c}→{oc}");
        AddLinearRule(y, x, rows, oc, per);
        _lastChannels = oc;
        int grow = (2 * (1 - pad)) + k - 2 + outputPadding - 2; // output = 2h + grow
        return (Activation(y, Act()), (2 * h) + grow, (2 * w) + grow);
    }

    /// <summary>ShuffleNet's channel shuffle with 2 groups: reshape, transpose (0,2,1,3,4), reshape.</summary>
    private string ChannelShuffle(string x, int c, int h, int w)
    {
        string r = Selection(x, "Reshape", [_b.Int64Constant(1, 2, c / 2, h, w)]);
        string t = Selection(r, "Transpose", [], ("perm", new[] { 0, 2, 1, 3, 4 }));
        _ops.Add("shuffle g2");
        _lastChannels = c;
        return Selection(t, "Reshape", [_b.Int64Constant(1, c, h, w)]);
    }

    /// <summary>YOLOv5's Focus on two phases: every other row and column from (0,0) and (1,1), concatenated.</summary>
    private string Focus(string x, int c, int h, int w)
    {
        string Phase(int y0, int x0)
        {
            string rows = Selection(x, "Slice", [_b.Int64Constant(y0), _b.Int64Constant(h), _b.Int64Constant(2), _b.Int64Constant(2)]);
            return Selection(rows, "Slice", [_b.Int64Constant(x0), _b.Int64Constant(w), _b.Int64Constant(3), _b.Int64Constant(2)]);
        }

        _ops.Add("focus");
        string y = Concat(Phase(0, 0), Phase(1, 1));
        _lastChannels = 2 * c;
        return y;
    }

    /// <summary>Split the channels in two (a Slice or a Split), a conv on each half, concat.</summary>
    private string SplitConcat(string x, int c)
    {
        string a, b;
        if (_random.Next(2) == 0)
        {
            var parts = _b.NodeWithOutputs("Split", [x, _b.Int64Constant(c / 2, c / 2)], 2, ("axis", 1));
            _rules.Add((err, _) => (parts[0], err(x)));
            _rules.Add((err, _) => (parts[1], err(x)));
            (a, b) = (parts[0], parts[1]);
            _ops.Add("split");
        }
        else
        {
            a = Selection(x, "Slice", [_b.Int64Constant(0), _b.Int64Constant(c / 2), _b.Int64Constant(1)]);
            b = Selection(x, "Slice", [_b.Int64Constant(c / 2), _b.Int64Constant(c), _b.Int64Constant(1)]);
            _ops.Add("slice halves");
        }

        string y = Concat(Conv(a, c / 2, 4, 3, 1, [1, 1, 1, 1], Act()), Conv(b, c / 2, 4, 1, 1, [0, 0, 0, 0], Act()));
        _lastChannels = 8;
        return y;
    }

    /// <summary>A node that only moves data (1-Lipschitz, no rounding of its own).</summary>
    private string Selection(string x, string op, string[] extraInputs, params (string, object)[] attributes)
    {
        string y = _b.Node(op, [x, .. extraInputs], attributes);
        _rules.Add((err, _) => (y, err(x)));
        return y;
    }

    /// <summary>A Keras-style head: NCHW→NHWC, then the NHWC map as output or flattened into a Gemm.</summary>
    private bool LayoutHead(string t, int c, int h, int w)
    {
        int choice = _random.Next(3);
        if (choice == 2 || (choice == 1 && c * h * w > 1024))
        {
            return false;
        }

        string nhwc = Unary(t, "Transpose", "nchw→nhwc", ("perm", new[] { 0, 2, 3, 1 }));
        if (choice == 0)
        {
            Output = nhwc;
            return true;
        }

        string f = Unary(nhwc, "Flatten", "flatten");
        Output = Gemm(f, c * h * w, 4 + _random.Next(8));
        return true;
    }

    private readonly bool _perChannelPRelu;

    private string? Act() => _random.Next(_tables ? 5 : _perChannelPRelu ? 4 : 3) switch
    {
        0 => "Relu",
        1 => "Clip",
        3 when _perChannelPRelu => "PRelu",
        4 => "Silu",
        _ => null,
    };

    private float[] Weights(int rows, int perRow, double gain)
    {
        var w = new float[rows * perRow];
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int i = 0; i < perRow; i++)
            {
                w[(r * perRow) + i] = (float)((_random.NextDouble() * 2) - 1);
                sum += Math.Abs(w[(r * perRow) + i]);
            }

            for (int i = 0; i < perRow; i++)
            {
                w[(r * perRow) + i] = (float)(w[(r * perRow) + i] * gain / sum);
            }
        }

        return w;
    }

    private float[] Bias(int n) => Enumerable.Range(0, n).Select(_ => (float)((_random.NextDouble() - 0.5) * 0.2)).ToArray();

    private string Conv(string x, int ic, int oc, int k, int stride, int[] pads, string? act)
    {
        int per = ic * k * k;
        var w = Weights(oc, per, 1.0);
        string y = _b.Conv(x, w, Bias(oc), oc, ic, k, stride, pads);
        _ops.Add($"conv{k}x{k}/s{stride} p[{string.Join(",", pads)}] {ic}→{oc}");
        AddLinearRule(y, x, w, oc, per);
        _lastChannels = oc;
        return Activation(y, act);
    }

    private string Depthwise(string x, int c, int stride, int[] pads)
    {
        var w = Weights(c, 9, 1.0);
        string y = _b.Conv(x, w, Bias(c), c, c, 3, stride, pads, group: c);
        _ops.Add($"dw3x3/s{stride} p[{string.Join(",", pads)}] {c}");
        AddLinearRule(y, x, w, c, 9);
        _lastChannels = c;
        return y;
    }

    private string Gemm(string x, int k, int n)
    {
        var w = Weights(n, k, 1.0);
        string y = _b.Node("Gemm", [x, _b.Constant(w, n, k), _b.Constant(Bias(n), n)], ("transB", 1));
        _ops.Add($"gemm {k}→{n}");
        AddLinearRule(y, x, w, n, k);
        _lastChannels = n;
        return y;
    }

    private void AddLinearRule(string y, string x, float[] w, int rows, int perRow)
    {
        double weightTerm = 0;
        for (int r = 0; r < rows; r++)
        {
            double max = 0;
            for (int i = 0; i < perRow; i++)
            {
                max = Math.Max(max, Math.Abs(w[(r * perRow) + i]));
            }

            weightTerm = Math.Max(weightTerm, 2 * max / 255 * perRow);
        }

        _rules.Add((err, range) =>
        {
            var (lo, hi) = range(x);
            double m = Math.Max(Math.Abs(lo), Math.Abs(hi)) + err(x);
            return (y, err(x) + (weightTerm * m));
        });
    }

    private string Activation(string y, string? act)
    {
        if (act is null)
        {
            return y;
        }

        if (act == "PRelu")
        {
            // 1-Lipschitz for |a| ≤ 1; realised as two rounded halves and a rounded sum: one step more than one rounding.
            var slopes = Enumerable.Range(0, _lastChannels).Select(_ => (float)((_random.NextDouble() * 2) - 1)).ToArray();
            string p = _b.Node("PRelu", [y, _b.Constant(slopes, 1, _lastChannels, 1, 1)]);
            _ops.Add("prelu/c");
            _rules.Add((err, range) => (p, err(y) + ((Math.Max(range(p).Max, 0) - Math.Min(range(p).Min, 0)) / 255)));
            return p;
        }

        if (act == "Silu")
        {
            // Lipschitz 1.1 (the largest slope of x·sigmoid(x)); the table's output rounding is the rule's added step.
            string s = _b.Node("Mul", [y, _b.Node("Sigmoid", [y])]);
            _ops.Add("silu");
            _rules.Add((err, _) => (s, 1.1 * err(y)));
            return s;
        }

        string z = act == "Relu" ? _b.Node("Relu", [y]) : _b.Node("Clip", [y, _b.Constant([0f], []), _b.Constant([0.5f], [])]);
        _ops.Add(act == "Relu" ? "relu" : "clip(0,0.5)");
        _rules.Add((err, _) => (z, err(y)));
        return z;
    }

    private string Unary(string x, string op, string label, params (string, object)[] attributes)
    {
        string y = _b.Node(op, [x], attributes);
        _ops.Add(label);
        _rules.Add((err, _) => (y, err(x)));
        return y;
    }

    private string Add(string a, string b, bool relu)
    {
        string op = _differences && _random.Next(2) == 0 ? "Sub" : "Add";
        string y = _b.Node(op, [a, b]);
        _ops.Add(op.ToLowerInvariant());
        _rules.Add((err, _) => (y, err(a) + err(b)));
        return relu ? Activation(y, "Relu") : y;
    }

    private string Concat(string a, string b)
    {
        string y = _b.Node("Concat", [a, b], ("axis", 1));
        _ops.Add("concat");
        _rules.Add((err, _) => (y, Math.Max(err(a), err(b))));
        return y;
    }

    /// <summary>A convex combination of neighbours: the input's error, plus one rounding per KPU stage (×4 has two).</summary>
    private string LinearResize(string x, int f)
    {
        string mode = new[] { "half_pixel", "pytorch_half_pixel", "asymmetric" }[_random.Next(3)];
        string y = _b.Node("Resize", [x, string.Empty, _b.Constant([1f, 1f, f, f], 4)], ("mode", "linear"), ("coordinate_transformation_mode", mode));
        _ops.Add($"linear x{f} {mode}");
        int stages = f == 4 ? 2 : 1;
        _rules.Add((err, range) => (y, err(x) + (stages * (range(y).Max - Math.Min(range(y).Min, 0)) / 255)));
        return y;
    }

    private string Resize(string x)
    {
        string y = _random.Next(2) == 0
            ? _b.Node("Resize", [x, string.Empty, _b.Constant([1f, 1f, 2f, 2f], 4)], ("mode", "nearest"), ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor"))
            : _b.Node("Resize", [x, string.Empty, _b.Constant([1f, 1f, 2f, 2f], 4)], ("mode", "nearest"));
        _ops.Add("resize x2");
        _rules.Add((err, _) => (y, err(x)));
        return y;
    }
}
