using Emc.Compiler.Ir;

namespace Emc.Compiler.Tests.Differential;

/// <summary>Random small CNNs (NCHW, batch 1, opset 13): 1x1/3x3/depthwise convs with stride 1/2 and both padding styles,
/// BN, relu/clip/leaky, pools, residual Add, Concat, nearest Resize; optionally a classifier head
/// (GlobalAveragePool → Flatten → Gemm → Softmax).</summary>
internal static class RandomCnnCases
{
    public static IEnumerable<DifferentialCase> Networks(int seed, int count)
    {
        var r = new CaseRandom(seed);
        for (int n = 0; n < count; n++)
        {
            var net = new Net(r);
            int layers = r.Int(3, 8);
            var kinds = new List<string>();
            for (int l = 0; l < layers; l++)
            {
                kinds.Add(net.AddRandomLayer());
            }

            if (r.Bool())
            {
                net.AddHead();
                kinds.Add("head");
            }

            yield return DifferentialCase.From($"cnn#{n} [{string.Join(",", net.InputDims)}] {string.Join(" ", kinds)}", net.Finish(), net.Input);
        }
    }

    private sealed class Net
    {
        private readonly CaseRandom _r;
        private readonly OnnxModelBuilder _b = new(13);
        private string _cur = "x";
        private int _c;
        private int _h;
        private int _w;
        private int _id;

        public Net(CaseRandom r)
        {
            _r = r;
            _c = r.Pick(1, 3, 4);
            _h = r.Int(8, 20);
            _w = r.Int(8, 20);
            InputDims = [1, _c, _h, _w];
            _b.Input("x", DataType.Float32, InputDims);
            Input = r.Tensor(InputDims);
        }

        public int[] InputDims { get; }

        public Tensor Input { get; }

        public string AddRandomLayer()
        {
            string kind = _r.Pick("conv1", "conv3", "conv3", "dw", "act", "pool", "residual", "concat", "resize", "bn");
            if ((kind is "pool" && (_h < 4 || _w < 4)) || (kind is "resize" && _h * _w > 400))
            {
                kind = "conv1";
            }

            switch (kind)
            {
                case "conv1": Conv(1, 1, _r.Int(2, 8), 1); break;
                case "conv3": Conv(3, _r.Pick(1, 1, 2), _r.Int(2, 8), 1); break;
                case "dw": Conv(3, _r.Pick(1, 2), _c, _c); break;
                case "act": Activation(); break;
                case "pool": Pool(); break;
                case "residual": Residual(); break;
                case "concat": Concat(); break;
                case "resize": Resize(); break;
                default: BatchNorm(); break;
            }

            return kind;
        }

        public void AddHead()
        {
            string pooled = Next();
            _b.Node("GlobalAveragePool", [_cur], [pooled]);
            string flat = Next();
            _b.Node("Flatten", [pooled], [flat]);
            int classes = _r.Int(2, 10);
            string w = Next(), bias = Next(), logits = Next(), prob = Next();
            _b.Initializer(w, _r.Tensor([classes, _c])).Initializer(bias, _r.Tensor([classes]))
                .Node("Gemm", [flat, w, bias], [logits], a => a.Int("transB", 1))
                .Node("Softmax", [logits], [prob], a => a.Int("axis", -1));
            _cur = prob;
        }

        public OnnxModelBuilder Finish() => _b.Output(_cur);

        private string Next() => $"t{_id++}";

        private void Conv(int k, int stride, int cout, int groups)
        {
            string w = Next(), bias = Next(), y = Next();
            bool autoPad = _r.Bool();
            int pad = k / 2;
            _b.Initializer(w, _r.Tensor([cout, _c / groups, k, k], -0.5f, 0.5f)).Initializer(bias, _r.Tensor([cout], -0.1f, 0.1f))
                .Node("Conv", [_cur, w, bias], [y], a =>
                {
                    a.Ints("kernel_shape", k, k).Ints("strides", stride, stride).Int("group", groups);
                    if (autoPad)
                    {
                        a.String("auto_pad", "SAME_UPPER");
                    }
                    else
                    {
                        a.Ints("pads", pad, pad, pad, pad);
                    }
                });
            (_h, _w) = autoPad ? (Ceil(_h, stride), Ceil(_w, stride)) : ((_h + 2 * pad - k) / stride + 1, (_w + 2 * pad - k) / stride + 1);
            _c = cout;
            _cur = y;
        }

        private void Activation()
        {
            string y = Next();
            switch (_r.Int(0, 2))
            {
                case 0: _b.Node("Relu", [_cur], [y]); break;
                case 1:
                    string lo = Next(), hi = Next();
                    _b.Initializer(lo, Tensor.Create(Shape.Scalar, new[] { 0f })).Initializer(hi, Tensor.Create(Shape.Scalar, new[] { 6f }))
                        .Node("Clip", [_cur, lo, hi], [y]);
                    break;
                default: _b.Node("LeakyRelu", [_cur], [y], a => a.Float("alpha", 0.1f)); break;
            }

            _cur = y;
        }

        private void Pool()
        {
            string y = Next();
            bool max = _r.Bool();
            bool big = _r.Bool();
            int k = big ? 3 : 2, pad = big ? 1 : 0;
            _b.Node(max ? "MaxPool" : "AveragePool", [_cur], [y], a => a.Ints("kernel_shape", k, k).Ints("strides", 2, 2).Ints("pads", pad, pad, pad, pad));
            _h = (_h + 2 * pad - k) / 2 + 1;
            _w = (_w + 2 * pad - k) / 2 + 1;
            _cur = y;
        }

        private void Residual()
        {
            string input = _cur;
            int c = _c, h = _h, w = _w;
            Conv(3, 1, c, 1);
            string y = Next();
            _b.Node("Add", [input, _cur], [y]);
            (_c, _h, _w, _cur) = (c, h, w, y);
        }

        private void Concat()
        {
            string input = _cur;
            int c = _c;
            Conv(1, 1, _r.Int(1, 4), 1);
            string a = _cur;
            int ca = _c;
            (_cur, _c) = (input, c);
            Conv(3, 1, _r.Int(1, 4), 1);
            string y = Next();
            _b.Node("Concat", [a, _cur], [y], x => x.Int("axis", 1));
            (_c, _cur) = (ca + _c, y);
        }

        private void Resize()
        {
            string roi = Next(), scales = Next(), y = Next();
            _b.Initializer(roi, Array.Empty<float>(), 0).Initializer(scales, [1f, 1f, 2f, 2f], 4)
                .Node("Resize", [_cur, roi, scales], [y], a => a.String("mode", "nearest")
                    .String("coordinate_transformation_mode", "asymmetric").String("nearest_mode", "floor"));
            (_h, _w, _cur) = (_h * 2, _w * 2, y);
        }

        private void BatchNorm()
        {
            string s = Next(), b = Next(), m = Next(), v = Next(), y = Next();
            _b.Initializer(s, _r.Tensor([_c], 0.5f, 1.5f)).Initializer(b, _r.Tensor([_c])).Initializer(m, _r.Tensor([_c]))
                .Initializer(v, _r.Tensor([_c], 0.5f, 2f)).Node("BatchNormalization", [_cur, s, b, m, v], [y]);
            _cur = y;
        }

        private static int Ceil(int a, int b) => (a + b - 1) / b;
    }
}
