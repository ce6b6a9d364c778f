namespace Emc.Compiler.K210.Kpu;

/// <summary>
/// Rounds one output channel's weights so that the output error ‖(ŵ − w)·x‖² over the calibration patches is small,
/// not the weight error ‖ŵ − w‖² (the idea of Optimal Brain Quantization / GPTQ, Frantar et al. 2022): weights are
/// quantized one at a time in order, and each one's rounding error is pushed onto the weights not yet quantized through
/// the inverse of H = E[x xᵀ], so the correlated inputs compensate it. H is dampened by
/// <see cref="Dampening"/>·mean(diag H) on its diagonal; the compensation uses the upper Cholesky factor U of H⁻¹
/// (H⁻¹ = UᵀU), for which weight i's error e_i moves weight j &gt; i by −e_i·U_ij/U_ii.
/// </summary>
internal static class ErrorFeedbackRounding
{
    public const double Dampening = 0.01;

    /// <summary>U (row-major, upper triangle) for the n×n matrix <paramref name="h"/>, or null when H is not positive
    /// definite even dampened (e.g. every input constant zero).</summary>
    public static double[]? Factor(double[] h, int n)
    {
        double mean = 0;
        for (int i = 0; i < n; i++)
        {
            mean += h[(i * n) + i];
        }

        mean /= n;
        if (!(mean > 0) || !double.IsFinite(mean))
        {
            return null;
        }

        var a = (double[])h.Clone();
        for (int i = 0; i < n; i++)
        {
            a[(i * n) + i] += Dampening * mean;
        }

        // H = L Lᵀ; H⁻¹ = L⁻ᵀ L⁻¹; then the lower factor of H⁻¹ transposed is U.
        if (!CholeskyLower(a, n))
        {
            return null;
        }

        var inverse = InverseFromCholesky(a, n);
        if (!CholeskyLower(inverse, n))
        {
            return null;
        }

        var u = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                u[(i * n) + j] = inverse[(j * n) + i];
            }
        }

        return u;
    }

    /// <summary>Codes q_i = clamp(RoundEven(w_i·scale − offset), 0, qMax) of the channel's weights, each w_i first moved
    /// by the earlier weights' fed-back errors; the value a code stands for is (q + offset)/scale.</summary>
    public static int[] Round(ReadOnlySpan<float> weights, double scale, double offset, int qMax, double[] u)
    {
        int n = weights.Length;
        var w = new double[n];
        for (int i = 0; i < n; i++)
        {
            w[i] = weights[i];
        }

        var codes = new int[n];
        for (int i = 0; i < n; i++)
        {
            double q = Math.Clamp(Quantization.Rounding.Even((w[i] * scale) - offset), 0, qMax);
            codes[i] = (int)q;
            double error = (w[i] - ((q + offset) / scale)) / u[(i * n) + i];
            if (error == 0)
            {
                continue;
            }

            for (int j = i + 1; j < n; j++)
            {
                w[j] -= error * u[(i * n) + j];
            }
        }

        return codes;
    }

    /// <summary>In place: the lower triangle of <paramref name="a"/> becomes L with A = L Lᵀ; false unless positive definite.</summary>
    private static bool CholeskyLower(double[] a, int n)
    {
        for (int j = 0; j < n; j++)
        {
            double d = a[(j * n) + j];
            for (int k = 0; k < j; k++)
            {
                d -= a[(j * n) + k] * a[(j * n) + k];
            }

            if (!(d > 0))
            {
                return false;
            }

            d = Math.Sqrt(d);
            a[(j * n) + j] = d;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[(i * n) + j];
                for (int k = 0; k < j; k++)
                {
                    s -= a[(i * n) + k] * a[(j * n) + k];
                }

                a[(i * n) + j] = s / d;
            }
        }

        return true;
    }

    /// <summary>(L Lᵀ)⁻¹ from the lower factor L (full symmetric result).</summary>
    private static double[] InverseFromCholesky(double[] l, int n)
    {
        // M = L⁻¹ (lower) by forward substitution, kept transposed (t = Mᵀ, rows contiguous); then A⁻¹ = Mᵀ M.
        var t = new double[n * n];
        for (int c = 0; c < n; c++)
        {
            var column = t.AsSpan(c * n, n);
            column[c] = 1 / l[(c * n) + c];
            for (int i = c + 1; i < n; i++)
            {
                double s = 0;
                for (int k = c; k < i; k++)
                {
                    s -= l[(i * n) + k] * column[k];
                }

                column[i] = s / l[(i * n) + i];
            }
        }

        var inverse = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                double s = 0;
                for (int k = j; k < n; k++)
                {
                    s += t[(i * n) + k] * t[(j * n) + k];
                }

                inverse[(i * n) + j] = s;
                inverse[(j * n) + i] = s;
            }
        }

        return inverse;
    }
}
