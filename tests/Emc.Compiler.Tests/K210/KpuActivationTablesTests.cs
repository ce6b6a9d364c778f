using Emc.Compiler.K210.Kpu;
using Emc.Kmodel;

namespace Emc.Compiler.Tests.K210;

[TestClass]
public sealed class KpuActivationTablesTests
{
    [TestMethod]
    public void FixedTableMatchesSpec()
    {
        var t = KpuActivationTables.Linear();
        Assert.AreEqual(16, t.Segments.Length);
        Assert.AreEqual(-(1L << 35), t.Segments[0].XStart);
        Assert.AreEqual(0xf7d4cf4b8L - (1L << 36), t.Segments[1].XStart);
        Assert.AreEqual(0xfffd4a9b7L - (1L << 36), t.Segments[9].XStart);
        Assert.AreEqual(new KpuActivationSegment(0, 1024, 20, 0), t.Segments[10]);
        Assert.AreEqual(0x7fffffff4L, t.Segments[15].XStart);
        for (int i = 1; i < 16; i++)
        {
            Assert.IsTrue(t.Segments[i].XStart >= t.Segments[i - 1].XStart, "starts non-decreasing");
            if (i != 10)
            {
                Assert.AreEqual(0, t.Segments[i].YMul);
            }
        }

        foreach (var s in t.Segments)
        {
            _ = s.Encode(); // every field fits
        }
    }

    [TestMethod]
    public void LeakyTableMatchesSpecExample()
    {
        // Spec §7.6 [C] (rc5 YOLO layer 0): α = 0.1, −b_o = 13 → starts −119808, −119808, −109568 … 13312;
        // y_mul 102, shift 20; biases 0,0,1,…,12,13.
        Assert.IsTrue(KpuActivationTables.TryLeaky(0.1, 13, out var t));
        Assert.AreEqual(-(1L << 35), t.Segments[0].XStart);
        Assert.AreEqual(-119808, t.Segments[1].XStart);
        Assert.AreEqual(-119808, t.Segments[2].XStart);
        Assert.AreEqual(-109568, t.Segments[3].XStart);
        Assert.AreEqual(13312, t.Segments[15].XStart);
        Assert.AreEqual(new KpuActivationSegment(13312, 1024, 20, 13), t.Segments[15]);
        byte[] biases = [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
        for (int i = 0; i < 16; i++)
        {
            Assert.AreEqual(biases[i], t.Segments[i].Bias, $"segment {i}");
            if (i is >= 1 and <= 14)
            {
                Assert.AreEqual(102, t.Segments[i].YMul);
                Assert.AreEqual(20, t.Segments[i].Shift);
            }
        }
    }

    [TestMethod]
    public void LeakyTableComputesLeakyRelu()
    {
        // Evaluate the table with the SDK-era rule (spec §6.3) against the real function on a fine grid of T.
        const double alpha = 0.2;
        const int zp = 40;
        Assert.IsTrue(KpuActivationTables.TryLeaky(alpha, zp, out var t));
        for (long tv = -300_000; tv <= 300_000; tv += 37)
        {
            int got = KpuReference.Activate(t, tv);
            double real = (tv / 1024.0) - zp; // q_pre − zp in output steps
            double expected = Math.Clamp(Math.Round((real < 0 ? real * alpha : real) + zp), 0, 255);
            Assert.IsTrue(Math.Abs(got - expected) <= 1, $"T={tv}: {got} vs {expected}");
        }
    }

    [TestMethod]
    public void LeakyRejectsBadSlopes()
    {
        Assert.IsFalse(KpuActivationTables.TryLeaky(0, 10, out _));
        Assert.IsFalse(KpuActivationTables.TryLeaky(1.5, 10, out _));
        Assert.IsFalse(KpuActivationTables.TryLeaky(0.1, 300, out _));
    }
}
