using Emc.Compiler.Ir;
using static Emc.Compiler.Tests.Evaluation.GraphFactory;

namespace Emc.Compiler.Tests.Evaluation;

/// <summary>
/// The pooling cases where ONNX Runtime 1.22 and the ONNX definition disagree (so the differential tests leave them
/// out), pinned to values worked out by hand from docs/Operators.md (MaxPool/AveragePool) and
/// onnx/reference/ops/op_pool_common.py. Inputs are 0, 1, 2, … so every expected value can be checked on paper.
/// </summary>
[TestClass]
public sealed class PoolingSpecTests
{
    private static Tensor<float> Ramp(params int[] shape)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        return Floats(shape, [.. Enumerable.Range(0, count).Select(i => (float)i)]);
    }

    private static float[] Pool(string op, long opset, Tensor<float> x, params NodeAttribute[] attributes) =>
        Evaluate(op, opset, [Feed(x)], attributes).ToFloatArray();

    /// <summary>count_include_pad=1, pads [top 0, left 0, bottom 1, right 1]: the divisor counts the bottom/right pad
    /// (reference pool(): taps with pixel &lt; input + pads[i] + pads[end] are kept, pads hold 0). x = [[0,1],[2,3]],
    /// 2×2 windows, stride 1: (0+1+2+3)/4, (1+3)/4, (2+3)/4, 3/4. ORT 1.22 reads pads[1] for the height's end
    /// (microsoft/onnxruntime#27375) and gives 3/2 and 3/2 on the bottom row.</summary>
    [TestMethod]
    public void Count_include_pad_counts_asymmetric_end_pads()
    {
        float[] y = Pool("AveragePool", 11, Ramp(1, 1, 2, 2),
            Ints("kernel_shape", 2, 2), Ints("pads", 0, 0, 1, 1), Int("count_include_pad", 1));
        CollectionAssert.AreEqual(new[] { 6f / 4, 4f / 4, 5f / 4, 3f / 4 }, y);
    }

    /// <summary>count_include_pad=1 with ceil_mode: a 1×5 row, kernel 1×2, stride 2, no pads. Output width
    /// ceil((5 − 2) / 2 + 1) = 3; the last window starts at 4 (inside the input, so it is kept) and covers 4 and 5, but
    /// 5 lies beyond input + pads and is not a tap (reference pool() filter), so it averages 4 alone: [0.5, 2.5, 4].
    /// PyTorch agrees; ORT 1.22 counts the overhang on some paths.</summary>
    [TestMethod]
    public void Count_include_pad_does_not_count_the_ceil_overhang()
    {
        float[] y = Pool("AveragePool", 11, Ramp(1, 1, 1, 5),
            Ints("kernel_shape", 1, 2), Ints("strides", 1, 2), Int("ceil_mode", 1), Int("count_include_pad", 1));
        CollectionAssert.AreEqual(new[] { 0.5f, 2.5f, 4f }, y);
    }

    /// <summary>Same with a begin pad and dilation: row of 5, kernel 1×2, dilation 2, stride 3, pads left 1 right 0,
    /// ceil_mode. Extent 3; output ceil((5 + 1 − 3) / 3) + 1 = 2, last start 3 − 1 = 2 &lt; 5 + 1 (kept). Window 0 taps
    /// −1 (pad, counted as 0) and 1 → (0 + 1) / 2; window 1 taps 2 and 4 → (2 + 4) / 2.</summary>
    [TestMethod]
    public void Count_include_pad_with_dilation_counts_the_begin_pad_tap()
    {
        float[] y = Pool("AveragePool", 19, Ramp(1, 1, 1, 5),
            Ints("kernel_shape", 1, 2), Ints("strides", 1, 3), Ints("dilations", 1, 2), Ints("pads", 0, 1, 0, 0),
            Int("ceil_mode", 1), Int("count_include_pad", 1));
        CollectionAssert.AreEqual(new[] { 0.5f, 3f }, y);
    }

    /// <summary>The brief's case: x[1,1,3,7], kernel 1×3, strides 3,2, SAME_UPPER. Height: output ceil(3/3) = 1, pad_shape
    /// = 0·3 + 1 − 3 = −2 (not clamped) → begin −1, end −1: the single window row is input row 1. Width: output 4, pad 2 →
    /// 1,1. Row 1 holds 7..13: max over cols (−1,0,1), (1,2,3), (3,4,5), (5,6,7→pad) = 8, 10, 12, 13. ORT agrees; the
    /// TensorFlow rule (clamp at 0) would read row 0.</summary>
    [TestMethod]
    public void Same_upper_with_an_even_negative_pad_starts_inside_the_input()
    {
        float[] y = Pool("MaxPool", 12, Ramp(1, 1, 3, 7), Ints("kernel_shape", 1, 3), Ints("strides", 3, 2), String("auto_pad", "SAME_UPPER"));
        CollectionAssert.AreEqual(new[] { 8f, 10f, 12f, 13f }, y);
    }

    /// <summary>Odd negative totals: a row of 5, kernel 1×1, stride 3 → output 2, pad_shape = 3 + 1 − 5 = −1. The reference
    /// splits with floor division (get_pad_with_auto_pad): SAME_UPPER begin = −1 // 2 = −1 → taps 1 and 4; SAME_LOWER
    /// begin = −1 − (−1 // 2) = 0 → taps 0 and 3. ORT 1.22 truncates toward zero and gives 0 and 3 for SAME_UPPER.</summary>
    [TestMethod]
    [DataRow("SAME_UPPER", 1f, 4f)]
    [DataRow("SAME_LOWER", 0f, 3f)]
    public void Same_with_an_odd_negative_pad_splits_with_floor_division(string autoPad, float first, float second)
    {
        float[] y = Pool("MaxPool", 12, Ramp(1, 1, 1, 5), Ints("kernel_shape", 1, 1), Ints("strides", 1, 3), String("auto_pad", autoPad));
        CollectionAssert.AreEqual(new[] { first, second }, y);
    }

    /// <summary>Even negative total under SAME_LOWER: a row of 6, kernel 1×1, stride 3 → output 2, pad −2 → begin
    /// −2 − (−2 // 2) = −1 → taps 1 and 4 (AveragePool of single taps). ORT 1.22 computes (−2 + 1) / 2 = 0 → taps 0 and 3.</summary>
    [TestMethod]
    public void Same_lower_with_an_even_negative_pad_splits_evenly()
    {
        float[] y = Pool("AveragePool", 11, Ramp(1, 1, 1, 6), Ints("kernel_shape", 1, 1), Ints("strides", 1, 3), String("auto_pad", "SAME_LOWER"));
        CollectionAssert.AreEqual(new[] { 1f, 4f }, y);
    }
}
