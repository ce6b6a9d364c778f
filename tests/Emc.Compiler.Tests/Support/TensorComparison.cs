using System.Globalization;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Tests.Support;

/// <summary>Element-wise closeness the way the ONNX backend runner checks it: |actual − expected| ≤ atol + rtol·|expected|
/// (NaN equals NaN); integer and bool tensors must match exactly. Returns null when close, else a one-line reason.</summary>
internal static class TensorComparison
{
    public static string? Compare(Tensor expected, Tensor actual, double rtol, double atol)
    {
        if (!expected.Shape.Equals(actual.Shape) && !(expected.ElementCount == 1 && actual.ElementCount == 1))
        {
            return $"shape {actual.Shape}, expected {expected.Shape}";
        }

        bool floating = expected.Type is DataType.Float32 or DataType.Float64 or DataType.Float16;
        if (!floating)
        {
            long[] e = expected.ToInt64Array();
            long[] a = actual.ToInt64Array();
            for (int i = 0; i < e.Length; i++)
            {
                if (e[i] != a[i])
                {
                    return $"element {i}: {a[i]}, expected {e[i]} ({expected.Type.Name()})";
                }
            }

            return null;
        }

        float[] ef = expected.ToFloatArray();
        float[] af = actual.ToFloatArray();
        int worst = -1;
        double worstExcess = 0;
        int bad = 0;
        for (int i = 0; i < ef.Length; i++)
        {
            double x = ef[i];
            double y = af[i];
            if (double.IsNaN(x) && double.IsNaN(y))
            {
                continue;
            }

            double diff = Math.Abs(x - y);
            double allowed = atol + rtol * Math.Abs(x);
            if (double.IsNaN(diff) ? x != y : diff > allowed)
            {
                bad++;
                double excess = double.IsNaN(diff) ? double.PositiveInfinity : diff - allowed;
                if (worst < 0 || excess > worstExcess)
                {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }

        return bad == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{bad}/{ef.Length} elements off; worst element {worst}: {af[worst]:G9}, expected {ef[worst]:G9} (rtol {rtol}, atol {atol})");
    }

    public static void AssertClose(Tensor expected, Tensor actual, double rtol, double atol, string what)
    {
        string? problem = Compare(expected, actual, rtol, atol);
        if (problem is not null)
        {
            Assert.Fail($"{what}: {problem}");
        }
    }
}
