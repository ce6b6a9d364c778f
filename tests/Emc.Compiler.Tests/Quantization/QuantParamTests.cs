using Emc.Compiler.Quantization;

namespace Emc.Compiler.Tests.Quantization;

[TestClass]
public sealed class QuantParamTests
{
    [TestMethod]
    public void SpecInputRanges()
    {
        // Spec §7.2: [0, 1] → s = 255, b = 0; [−1, 1] → s = 127.5, b = −128 (RoundEven of −127.5).
        var unit = QuantParam.FromRange(0, 1);
        Assert.AreEqual(255, unit.S, 1e-12);
        Assert.AreEqual(0, unit.B);
        var sym = QuantParam.FromRange(-1, 1);
        Assert.AreEqual(127.5, sym.S, 1e-12);
        Assert.AreEqual(-128, sym.B);
    }

    [TestMethod]
    public void StoredScaleAndBiasMatchRuntimeFormula()
    {
        // Spec §7.1/§7.2 by hand for [−2.5, 7.25]: s = 255/9.75, b = RoundEven(−2.5·s) = RoundEven(−65.38…) = −65;
        // the runtime computes x = q·scale + bias with scale = 1/s, bias = b/s, i.e. x = (q + b)/s.
        const double s = 255 / 9.75;
        const double b = -65;
        var p = QuantParam.FromRange(-2.5, 7.25);
        Assert.AreEqual((float)(1 / s), p.StoredScale);
        Assert.AreEqual((float)(b / s), p.StoredBias);
        for (int q = 0; q < 256; q++)
        {
            double runtime = (q * (double)p.StoredScale) + p.StoredBias;
            Assert.AreEqual((q + b) / s, runtime, 1e-5);
            Assert.AreEqual((q + b) / s, p.Dequantize(q), 1e-12);
        }
    }

    [TestMethod]
    public void RangeIsWidenedToContainZero()
    {
        var p = QuantParam.FromRange(2, 10);
        Assert.AreEqual(0, p.B);
        Assert.AreEqual(0, p.Quantize(0));
        Assert.AreEqual(255, p.Quantize(10));
    }

    [TestMethod]
    public void QuantizeDequantizeRoundTripWithinHalfStep()
    {
        var p = QuantParam.FromRange(-3, 5);
        var random = new Random(3);
        for (int i = 0; i < 1000; i++)
        {
            double x = (random.NextDouble() * 8) - 3;
            Assert.AreEqual(x, p.Dequantize(p.Quantize(x)), (0.5 / p.S) + 1e-12);
        }
    }

    [TestMethod]
    public void InputRangeIsExact()
    {
        // A uint8 pixel p preprocessed as p/127.5 − 1 is represented exactly (b = −127.5, fractional).
        var p = QuantParam.FromInputRange(-1, 1);
        for (int q = 0; q < 256; q++)
        {
            Assert.AreEqual((q / 127.5) - 1, p.Dequantize(q), 1e-12);
        }
    }
}
