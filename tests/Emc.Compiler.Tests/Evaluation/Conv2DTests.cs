using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using static Emc.Compiler.Tests.Evaluation.GraphFactory;

namespace Emc.Compiler.Tests.Evaluation;

[TestClass]
public sealed class Conv2DTests
{
    [TestMethod]
    public void RandomConvolutionsMatchNaiveDefinition()
    {
        var random = new Random(2024);
        for (int trial = 0; trial < 80; trial++)
        {
            int group = random.Next(4) switch { 0 => 1, 1 => 2, 2 => 3, _ => 1 };
            bool depthwise = trial % 5 == 0;
            int cg = depthwise ? 1 : random.Next(1, 5), mg = depthwise ? 1 : random.Next(1, 5);
            if (depthwise)
            {
                group = random.Next(2, 9);
            }

            int c = cg * group, m = mg * group, n = random.Next(1, 3);
            int kh = random.Next(1, 4), kw = random.Next(1, 4), sh = random.Next(1, 4), sw = random.Next(1, 4);
            int dh = random.Next(1, 3), dw = random.Next(1, 3);
            int pt = random.Next(0, 3), pl = random.Next(0, 3), pb = random.Next(0, 3), pr = random.Next(0, 3);
            if (trial % 7 == 0)
            {
                (kh, kw, sh, sw, pt, pl, pb, pr) = (1, 1, 1, 1, 0, 0, 0, 0); // pointwise path
            }

            int h = random.Next(((kh - 1) * dh) + 1, 14), w = random.Next(((kw - 1) * dw) + 1, 14);
            var x = Random(random, n, c, h, w);
            var weights = Random(random, m, cg, kh, kw);
            var bias = random.Next(2) == 0 ? Random(random, m) : null;
            var expected = Naive.Conv(x.Data, n, c, h, w, weights.Data, m, kh, kw, bias?.Data, sh, sw, pt, pl, pb, pr, dh, dw, group);
            var y = Evaluate("Conv", 13, [Feed(x), Const(weights), bias is null ? null : Const(bias)],
                Int("group", group), Ints("strides", sh, sw), Ints("pads", pt, pl, pb, pr), Ints("dilations", dh, dw));
            AssertClose(expected, y.As<float>().Data, 1e-5f, 1e-4f,
                $"trial {trial}: x[{n},{c},{h},{w}] w[{m},{cg},{kh},{kw}] g{group} s{sh},{sw} p{pt},{pl},{pb},{pr} d{dh},{dw}");
        }
    }

    [TestMethod]
    public void MobileNetLikeLayersMatchNaiveDefinition()
    {
        var random = new Random(5);
        // (c, m, h, k, stride, group): first conv, depthwise s1/s2, pointwise with many channels.
        (int C, int M, int H, int K, int S, int G)[] layers = [(3, 8, 33, 3, 2, 1), (16, 16, 29, 3, 1, 16), (16, 16, 29, 3, 2, 16), (64, 40, 9, 1, 1, 1), (300, 20, 3, 1, 1, 1), (4, 4, 45, 3, 20, 4)];
        foreach (var l in layers)
        {
            var x = Random(random, 1, l.C, l.H, l.H);
            var weights = Random(random, l.M, l.C / l.G, l.K, l.K);
            var bias = Random(random, l.M);
            int pad = l.K / 2;
            var expected = Naive.Conv(x.Data, 1, l.C, l.H, l.H, weights.Data, l.M, l.K, l.K, bias.Data, l.S, l.S, pad, pad, pad, pad, 1, 1, l.G);
            var y = Evaluate("Conv", 11, [Feed(x), Const(weights), Const(bias)],
                Int("group", l.G), Ints("strides", l.S, l.S), Ints("pads", pad, pad, pad, pad), Ints("kernel_shape", l.K, l.K));
            AssertClose(expected, y.As<float>().Data, 1e-4f, 1e-4f, l.ToString());
        }
    }

    [TestMethod]
    public void ParallelKernelsGiveBitIdenticalResults()
    {
        var random = new Random(6);
        Conv2DGeometry[] shapes =
        [
            new(1, 16, 30, 30, 16, 14, 14, 3, 3, 2, 2, 0, 0, 1, 1, 16),
            new(2, 6, 20, 20, 12, 20, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1),
            new(1, 32, 16, 16, 48, 16, 16, 1, 1, 1, 1, 0, 0, 1, 1, 1),
        ];
        foreach (var g in shapes)
        {
            var x = Random(random, g.Batch * g.InputChannels * g.InputPlane).Data;
            var w = Random(random, g.OutputChannels * g.ReductionLength).Data;
            var b = Random(random, g.OutputChannels).Data;
            float[] Run(int threads)
            {
                var y = new float[g.Batch * g.OutputChannels * g.OutputPlane];
                Conv2D.Run(g, x, w, b, y, new float[Conv2D.ScratchLength(g)], threads);
                return y;
            }

            var single = Run(1);
            AssertClose(Naive.Conv(x, g.Batch, g.InputChannels, g.InputHeight, g.InputWidth, w, g.OutputChannels, g.KernelHeight, g.KernelWidth,
                b, g.StrideHeight, g.StrideWidth, g.PadTop, g.PadLeft, g.PadTop, g.PadLeft, 1, 1, g.Group), single, 1e-4f, 1e-4f, g.ToString());
            CollectionAssert.AreEqual(single, Run(2), g.ToString());
            CollectionAssert.AreEqual(single, Run(3), g.ToString());
        }
    }

    [TestMethod]
    public void AutoPadSameUpperAndLowerPlaceTheOddPadding()
    {
        // 1×1×4×4 input 0..15, 2×2 all-ones kernel, stride 1: SAME pads one row/column in total.
        var x = Floats([1, 1, 4, 4], Enumerable.Range(0, 16).Select(i => (float)i).ToArray());
        var w = Floats([1, 1, 2, 2], 1, 1, 1, 1);
        var upper = Evaluate("Conv", 11, [Feed(x), Const(w)], String("auto_pad", "SAME_UPPER")).As<float>();
        var lower = Evaluate("Conv", 11, [Feed(x), Const(w)], String("auto_pad", "SAME_LOWER")).As<float>();
        Assert.AreEqual(new Shape(1, 1, 4, 4), upper.Shape);
        // SAME_UPPER pads bottom/right: y[0,0] = 0+1+4+5; y[3,3] = 15 alone.
        Assert.AreEqual(10f, upper.Data[0]);
        Assert.AreEqual(15f, upper.Data[15]);
        // SAME_LOWER pads top/left: y[0,0] = 0 alone; y[3,3] = 10+11+14+15.
        Assert.AreEqual(0f, lower.Data[0]);
        Assert.AreEqual(50f, lower.Data[15]);
        var valid = Evaluate("Conv", 11, [Feed(x), Const(w)], String("auto_pad", "VALID"));
        Assert.AreEqual(new Shape(1, 1, 3, 3), valid.Shape);
    }

    [TestMethod]
    public void UnsupportedAndInvalidConvolutionsAreDiagnosed()
    {
        var random = new Random(1);
        // Conv1d and Conv3d: unsupported shape.
        CollectionAssert.Contains(Codes("Conv", 11, [Feed(Random(random, 1, 2, 5)), Const(Random(random, 3, 2, 3))]), "EMC0206");
        CollectionAssert.Contains(Codes("Conv", 11, [Feed(Random(random, 1, 2, 5, 5, 5)), Const(Random(random, 3, 2, 3, 3, 3))]), "EMC0206");
        // Channels inconsistent with group.
        CollectionAssert.Contains(Codes("Conv", 11, [Feed(Random(random, 1, 4, 5, 5)), Const(Random(random, 3, 4, 3, 3))], [Int("group", 2)]), "EMC0202");
        // kernel_shape disagreeing with the weights.
        CollectionAssert.Contains(Codes("Conv", 11, [Feed(Random(random, 1, 2, 5, 5)), Const(Random(random, 3, 2, 3, 3))], [Ints("kernel_shape", 2, 2)]), "EMC0202");
        // Unknown auto_pad.
        CollectionAssert.Contains(Codes("Conv", 11, [Feed(Random(random, 1, 2, 5, 5)), Const(Random(random, 3, 2, 3, 3))], [String("auto_pad", "FULL")]), "EMC0201");
        // Window larger than the input.
        CollectionAssert.Contains(Codes("Conv", 11, [Feed(Random(random, 1, 2, 2, 2)), Const(Random(random, 3, 2, 3, 3))]), "EMC0202");
    }
}
