using Emc.Compiler.Quantization;

namespace Emc.Compiler.Tests.Quantization;

[TestClass]
public sealed class FixedPointTests
{
    [TestMethod]
    public void SpecExample_WeightOffsetMinus134()
    {
        // Spec §7.1 [C]: b_w = −134 → e = 8, n = 15, m = −4 390 912.
        var r = FixedPoint.Split(-134, 24, 15);
        Assert.AreEqual(-4_390_912L, r.Mul);
        Assert.AreEqual(15, r.Shift);
    }

    [TestMethod]
    public void SpecExample_FixedTableUnit()
    {
        // Spec §7.6: (1024, 20) = E(2^−10, 16, 20).
        var r = FixedPoint.Split(Math.Pow(2, -10), 16, 20);
        Assert.AreEqual(1024L, r.Mul);
        Assert.AreEqual(20, r.Shift);
    }

    [TestMethod]
    public void SpecExample_LeakySlope()
    {
        // Spec §7.6: α = 0.1 → y_mul 102, shift 20.
        var r = FixedPoint.Split(0.1 / 1024, 16, 20);
        Assert.AreEqual(102L, r.Mul);
        Assert.AreEqual(20, r.Shift);
    }

    [TestMethod]
    public void ZeroGivesZero()
    {
        Assert.IsTrue(FixedPoint.TrySplit(0, 24, 15, out var r));
        Assert.AreEqual(new FixedPointValue(0, 0), r);
    }

    [TestMethod]
    public void TooLargeFails()
    {
        Assert.IsFalse(FixedPoint.TrySplit(1 << 24, 24, 15, out _));
        Assert.IsFalse(FixedPoint.TrySplit(double.NaN, 24, 15, out _));
    }

    [TestMethod]
    public void RandomValuesFitAndApproximate()
    {
        var random = new Random(7);
        for (int i = 0; i < 10_000; i++)
        {
            double v = (random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-20, 20));
            Assert.IsTrue(FixedPoint.TrySplit(v, 22, 15, out var r));
            Assert.IsTrue(Math.Abs(r.Mul) < (1L << 21), $"{v}: {r}");
            Assert.IsTrue(r.Shift is >= 0 and <= 15);
            // Either full precision (relative error ≤ 2^-21) or the shift is capped (absolute error ≤ 2^-16).
            double err = Math.Abs(r.Value - v);
            Assert.IsTrue(err <= Math.Max(Math.Abs(v) * Math.Pow(2, -20), Math.Pow(2, -16)), $"{v} → {r.Value}");
        }
    }

    [TestMethod]
    public void RoundingUpToPowerOfTwoReducesShift()
    {
        // 1 − 2^−30 rounds to 2^23 with n = 23 (24-bit) → must fall back to n = 22.
        var r = FixedPoint.Split(1 - Math.Pow(2, -30), 24, 30);
        Assert.IsTrue(Math.Abs(r.Mul) < (1L << 23));
        Assert.AreEqual(1.0, r.Value, 1e-6);
    }
}
