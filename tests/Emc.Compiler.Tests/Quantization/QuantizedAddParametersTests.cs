using Emc.Compiler.Quantization;
using Emc.Kmodel.Simulation;

namespace Emc.Compiler.Tests.Quantization;

/// <summary>
/// QUANTIZED_ADD as the runtime computes it (spec §4.1, the SDK's carry shift of §6.4) against the exact sum of the
/// dequantized inputs, over every pair of codes. The carry shift rounds negative values wrongly (an odd intermediate
/// comes out 2 LSB low), so parameters that let V go negative put half the codes of a residual add 2 LSB low: on
/// DeepLabV3 (ten residual adds) 16.7 dB instead of 30.0 dB.
/// </summary>
[TestClass]
public sealed class QuantizedAddParametersTests
{
    public static IEnumerable<object[]> Cases =>
    [
        [-60.12, 83.16, -42.47, 42.14, -58.20, 61.48, false], // DeepLabV3's first residual add
        [-24.63, 28.15, -31.43, 35.36, -50.63, 35.44, false],
        [0, 6, 0, 6, 0, 12, false],                           // both ReLU6, no negative sums
        [-1, 1, -8, 8, -9, 9, false],                         // steps 8× apart
        [0, 6, 0, 6, -6, 6, true],                            // a − b
        [-3.5, 2, -0.4, 0.5, -4, 2.5, true],
    ];

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void EveryPairOfCodesIsWithinHalfAStepOfTheExactSum(double aLow, double aHigh, double bLow, double bHigh, double oLow, double oHigh, bool subtract)
    {
        QuantParam a = QuantParam.FromRange(aLow, aHigh), b = QuantParam.FromRange(bLow, bHigh), o = QuantParam.FromRange(oLow, oHigh);
        var p = QuantizedAddParameters.Derive(a, b, o, subtract);
        double worst = 0;
        for (int qa = 0; qa < 256; qa++)
        {
            for (int qb = 0; qb < 256; qb++)
            {
                long v = ((qa + (long)p.AOffset) * p.AMul) + ((qb + (long)p.BOffset) * p.BMul);
                int got = KpuArithmetic.SaturateToByte(KpuArithmetic.CarryShift(v * p.OutMul, p.OutShift) + p.OutOffset);
                double real = a.Dequantize(qa) + ((subtract ? -1 : 1) * b.Dequantize(qb));
                double exact = Math.Clamp((real * o.S) - o.B, 0, 255);
                worst = Math.Max(worst, Math.Abs(got - exact));
            }
        }

        // Half a step of the output grid (the one rounding), plus the constant the offsets leave (< 1/64) and the
        // multipliers' relative error.
        Console.WriteLine($"{p}: worst |code − exact| {worst:F4} LSB");
        Assert.IsLessThanOrEqualTo(0.5 + (1.0 / 32), worst);
    }
}
