using Emc.Compiler.Ir;
using static Emc.Compiler.Tests.Evaluation.GraphFactory;

namespace Emc.Compiler.Tests.Evaluation;

[TestClass]
public sealed class PoolingTests
{
    [TestMethod]
    public void RandomMaxAndAveragePoolsMatchNaiveDefinition()
    {
        var random = new Random(99);
        for (int trial = 0; trial < 80; trial++)
        {
            bool max = trial % 2 == 0, includePad = random.Next(2) == 1, ceil = random.Next(3) == 0;
            int kh = random.Next(1, 4), kw = random.Next(1, 4), sh = random.Next(1, 4), sw = random.Next(1, 4);
            int dh = max ? random.Next(1, 3) : 1, dw = max ? random.Next(1, 3) : 1;
            int pt = random.Next(0, kh), pl = random.Next(0, kw), pb = random.Next(0, kh), pr = random.Next(0, kw);
            int h = random.Next(((kh - 1) * dh) + 1, 12), w = random.Next(((kw - 1) * dw) + 1, 12);
            int n = random.Next(1, 3), c = random.Next(1, 4);
            var x = Random(random, n, c, h, w);
            var attributes = new List<NodeAttribute>
            {
                Ints("kernel_shape", kh, kw), Ints("strides", sh, sw), Ints("pads", pt, pl, pb, pr), Int("ceil_mode", ceil ? 1 : 0),
            };
            if (max)
            {
                attributes.Add(Ints("dilations", dh, dw));
            }
            else
            {
                attributes.Add(Int("count_include_pad", includePad ? 1 : 0));
            }

            var y = Evaluate(max ? "MaxPool" : "AveragePool", 12, [Feed(x)], [.. attributes]);
            int oh = y.Shape[2], ow = y.Shape[3];

            // Output size from the definition: floor/ceil((in + pads − extent)/stride) + 1, without windows that start in the end padding.
            int Size(int input, int pa, int pe, int extent, int stride)
            {
                double raw = (double)(input + pa + pe - extent) / stride;
                int o = (ceil ? (int)Math.Ceiling(raw) : (int)Math.Floor(raw)) + 1;
                return ceil && (o - 1) * stride >= input + pa ? o - 1 : o;
            }

            Assert.AreEqual(Size(h, pt, pb, ((kh - 1) * dh) + 1, sh), oh, "output height");
            Assert.AreEqual(Size(w, pl, pr, ((kw - 1) * dw) + 1, sw), ow, "output width");
            var expected = Naive.Pool(x.Data, n * c, h, w, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr, dh, dw, max, includePad);
            AssertClose(expected, y.As<float>().Data, what: $"trial {trial} max={max} k{kh},{kw} s{sh},{sw} p{pt},{pl},{pb},{pr} d{dh},{dw} ceil={ceil} cip={includePad}");
        }
    }

    [TestMethod]
    public void GlobalPoolsReduceEveryPlane()
    {
        var random = new Random(4);
        var x = Random(random, 2, 3, 5, 7);
        var avg = Evaluate("GlobalAveragePool", 13, [Feed(x)]).As<float>();
        var max = Evaluate("GlobalMaxPool", 13, [Feed(x)]).As<float>();
        Assert.AreEqual(new Shape(2, 3, 1, 1), avg.Shape);
        for (int p = 0; p < 6; p++)
        {
            var plane = x.Data.AsSpan(p * 35, 35).ToArray();
            Assert.AreEqual(plane.Select(v => (double)v).Average(), avg.Data[p], 1e-6);
            Assert.AreEqual(plane.Max(), max.Data[p]);
        }
    }

    [TestMethod]
    public void UnsupportedPoolingIsDiagnosed()
    {
        var random = new Random(2);
        // MaxPool1d, MaxPool3d: unsupported shape.
        CollectionAssert.Contains(Codes("MaxPool", 12, [Feed(Random(random, 1, 2, 8))], [Ints("kernel_shape", 2)]), "EMC0206");
        CollectionAssert.Contains(Codes("AveragePool", 12, [Feed(Random(random, 1, 2, 4, 4, 4))], [Ints("kernel_shape", 2, 2, 2)]), "EMC0206");
        // The Indices output.
        CollectionAssert.Contains(Codes("MaxPool", 12, [Feed(Random(random, 1, 2, 4, 4))], [Ints("kernel_shape", 2, 2)], outputs: 2), "EMC0201");
        // uint8 MaxPool.
        var bytes = Tensor.Create(new Shape(1, 1, 4, 4), new byte[16]);
        CollectionAssert.Contains(Codes("MaxPool", 12, [Feed(bytes)], [Ints("kernel_shape", 2, 2)]), "EMC0204");
        // AveragePool dilations before opset 19.
        CollectionAssert.Contains(Codes("AveragePool", 11, [Feed(Random(random, 1, 2, 6, 6))], [Ints("kernel_shape", 2, 2), Ints("dilations", 2, 2)]), "EMC0201");
        // Missing kernel_shape.
        CollectionAssert.Contains(Codes("MaxPool", 12, [Feed(Random(random, 1, 2, 4, 4))]), "EMC0202");
    }
}
