using Emc.Compiler.Ir;

namespace Emc.Compiler.Tests.Differential;

/// <summary>Random cases for ConvTranspose (strides, kernels, dilations, groups, pads, output_padding, output_shape)
/// and DepthToSpace (both modes).</summary>
internal static class TransposedConvCases
{
    public static IEnumerable<DifferentialCase> ConvTranspose(int seed)
    {
        var r = new CaseRandom(seed);
        for (int i = 0; i < 60; i++)
        {
            int groups = i % 4 == 3 ? r.Int(2, 3) : 1;
            int cin = groups * r.Int(1, 3), cout = groups * r.Int(1, 3);
            int kh = r.Int(1, 4), kw = r.Pick(kh, r.Int(1, 4));
            int sh = r.Int(1, 3), sw = r.Pick(sh, r.Int(1, 3));
            int dh = i % 5 == 4 ? 2 : 1, dw = i % 5 == 4 ? r.Int(1, 2) : 1;
            int h = r.Int(1, 6), w = r.Int(1, 6);

            // Pads that leave at least one output row and column (ONNX Runtime rejects an empty output).
            long[] pads = [r.Int(0, kh - 1), r.Int(0, kw - 1), r.Int(0, kh - 1), r.Int(0, kw - 1)];
            while ((sh * (h - 1)) + ((kh - 1) * dh) + 1 - pads[0] - pads[2] < 1 || (sw * (w - 1)) + ((kw - 1) * dw) + 1 - pads[1] - pads[3] < 1)
            {
                pads = [pads[0] / 2, pads[1] / 2, pads[2] / 2, pads[3] / 2];
            }

            // ONNX allows output_padding below the stride or the dilation; ONNX Runtime 1.22 shifts the values when it is
            // at or above the stride (stride 1, dilation 2, output_padding 1), so the cases keep it below the stride.
            long[] outputPadding = [r.Int(0, sh - 1), r.Int(0, sw - 1)];
            bool bias = r.Bool();
            int[] x = [r.Pick(1, 1, 2), cin, h, w];
            var b = new OnnxModelBuilder(r.Pick(11L, 13L, 1L)).Input("x", DataType.Float32, x)
                .Initializer("w", r.Tensor([cin, cout / groups, kh, kw]));
            if (bias)
            {
                b.Initializer("b", r.Tensor([cout]));
            }

            b.Node("ConvTranspose", bias ? ["x", "w", "b"] : ["x", "w"], ["y"], a =>
                a.Int("group", groups).Ints("strides", sh, sw).Ints("dilations", dh, dw).Ints("pads", pads).Ints("output_padding", outputPadding)).Output("y");
            string name = $"ConvTranspose#{i} x[{string.Join(",", x)}] k{kh}x{kw} s{sh},{sw} d{dh},{dw} g{groups} cout{cout} pads[{string.Join(",", pads)}] op[{string.Join(",", outputPadding)}]";
            yield return DifferentialCase.From(name, b, r.Tensor(x));
        }

        // output_shape with an even total padding (ONNX and ONNX Runtime split an odd total differently across versions).
        for (int i = 0; i < 10; i++)
        {
            int k = r.Int(2, 4), s = r.Int(1, 3), h = r.Int(2, 5), w = r.Int(2, 5);
            int[] x = [1, r.Int(1, 3), h, w];
            int oh = (s * (h - 1)) + k - (2 * r.Int(0, (k - 1) / 2)), ow = (s * (w - 1)) + k - (2 * r.Int(0, (k - 1) / 2));
            var b = new OnnxModelBuilder(11).Input("x", DataType.Float32, x).Initializer("w", r.Tensor([x[1], 2, k, k]))
                .Node("ConvTranspose", ["x", "w"], ["y"], a => a.Ints("strides", s, s).Ints("output_shape", oh, ow)).Output("y");
            yield return DifferentialCase.From($"ConvTranspose output_shape#{i} x[{string.Join(",", x)}] k{k} s{s} -> {oh}x{ow}", b, r.Tensor(x));
        }
    }

    public static IEnumerable<DifferentialCase> DepthToSpace(int seed)
    {
        var r = new CaseRandom(seed);
        for (int i = 0; i < 16; i++)
        {
            int bs = r.Int(1, 3);
            string mode = i % 2 == 0 ? "DCR" : "CRD";
            int[] x = [r.Pick(1, 2), bs * bs * r.Int(1, 3), r.Int(1, 5), r.Int(1, 5)];
            var b = new OnnxModelBuilder(13).Input("x", DataType.Float32, x)
                .Node("DepthToSpace", ["x"], ["y"], a => a.Int("blocksize", bs).String("mode", mode)).Output("y");
            yield return DifferentialCase.From($"DepthToSpace#{i} x[{string.Join(",", x)}] bs{bs} {mode}", b, r.Tensor(x));
        }
    }
}
