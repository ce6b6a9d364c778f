using Emc.Compiler.Compilation;
using Emc.Compiler.Quantization;

namespace Emc.Compiler.Tests.Quantization;

[TestClass]
public sealed class RangeSelectorTests
{
    private static float[] Uniform(int n, float lo, float hi, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => lo + ((hi - lo) * (float)r.NextDouble())).ToArray();
    }

    [TestMethod]
    public void HistogramWideningKeepsEveryCountAndTheExactExtremes()
    {
        var s = new TensorStatistics();
        s.Observe(Uniform(10000, 0, 1, 1));
        double width = s.BinWidth;
        s.Observe(Uniform(10000, -50, 40, 2)); // forces several doublings
        Assert.IsGreaterThan(width, s.BinWidth);
        Assert.AreEqual(20000, s.Total);
        Assert.AreEqual(20000, s.Counts.ToArray().Sum());
        Assert.IsLessThan(-49.0, s.Min);
        Assert.IsGreaterThan(39.0, s.Max);
        Assert.AreEqual(Math.Pow(2, Math.Round(Math.Log2(s.BinWidth))), s.BinWidth, "power-of-two width");
    }

    [TestMethod]
    public void ChannelMeansFollowAxisOne()
    {
        var s = new TensorStatistics();
        s.Observe([1, 1, 1, 1, 5, 5, 5, 7], channels: 2);
        s.Observe([3, 3, 3, 3, 1, 1, 1, 1], channels: 2);
        CollectionAssert.AreEqual(new[] { 2.0, 3.25 }, s.ChannelMeans);
    }

    [TestMethod]
    public void MinMaxIsTheObservedRangeWidenedToZero()
    {
        var s = new TensorStatistics();
        s.Observe(Uniform(1000, 2, 3, 3));
        var (lo, hi) = RangeSelector.Select(s, CalibrationMethod.MinMax);
        Assert.AreEqual(0, lo);
        Assert.AreEqual(s.Max, hi);
    }

    [TestMethod]
    public void ClippingMethodsCutRareOutliersButKeepTheBulk()
    {
        var values = Uniform(200000, 0, 1, 4).ToList();
        values.AddRange(Enumerable.Repeat(100f, 3)); // three outliers (0.0015 %)
        var s = new TensorStatistics();
        s.Observe(values.ToArray());
        foreach (var method in new[] { CalibrationMethod.Percentile, CalibrationMethod.Mse })
        {
            var (lo, hi) = RangeSelector.Select(s, method);
            Assert.AreEqual(0, lo, method.ToString());
            // MSE weighs the outliers' clipping error against the bulk's rounding error: it cuts less.
            Assert.IsTrue(hi >= 0.9 && hi < (method == CalibrationMethod.Mse ? 90 : 2), $"{method}: {hi}");
        }
    }

    [TestMethod]
    public void KlClipsTheTailOfAnExponentialDistribution()
    {
        var r = new Random(8);
        var s = new TensorStatistics();
        s.Observe(Enumerable.Range(0, 200000).Select(_ => (float)-Math.Log(1 - r.NextDouble())).ToArray());
        var (lo, hi) = RangeSelector.Select(s, CalibrationMethod.Kld);
        Assert.AreEqual(0, lo);
        Assert.IsTrue(hi > 3 && hi < 0.9 * s.Max, $"threshold {hi}, max {s.Max}");
    }

    [TestMethod]
    public void KlKeepsTheRangeOfAUniformDistribution()
    {
        var s = new TensorStatistics();
        s.Observe(Uniform(200000, 0, 6, 5));
        var (_, hi) = RangeSelector.Select(s, CalibrationMethod.Kld);
        Assert.AreEqual(6, hi, 0.1);
    }

    [TestMethod]
    public void SelectionIsDeterministic()
    {
        var a = new TensorStatistics();
        var b = new TensorStatistics();
        foreach (var t in new[] { a, b })
        {
            t.Observe(Uniform(5000, -1, 3, 6));
            t.Observe(Uniform(5000, -2, 8, 7));
        }

        foreach (CalibrationMethod m in Enum.GetValues<CalibrationMethod>())
        {
            Assert.AreEqual(RangeSelector.Select(a, m), RangeSelector.Select(b, m));
        }
    }
}
