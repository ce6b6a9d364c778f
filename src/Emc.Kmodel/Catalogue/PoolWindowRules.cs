using Emc.Kmodel.Simulation;

namespace Emc.Kmodel.Catalogue;

/// <summary>Rules shared by the two 2-D pool bodies (QUANTIZED_MAX_POOL2D, MAX/AVERAGE_POOL2D) about their window.</summary>
internal static class PoolWindowRules
{
    private const long MaxWindowWork = 1L << 32;

    public static long InSize(PoolWindow w) => SaturatingMath.Mul(w.InWidth, w.InHeight, w.InChannels);

    public static long OutSize(PoolWindow w) => SaturatingMath.Mul(w.OutWidth, w.OutHeight, w.OutChannels);

    public static void CheckFields(PoolWindow w, FieldCheck check)
    {
        if (w.KernelWidth == 0 || w.KernelHeight == 0 || w.StrideWidth == 0 || w.StrideHeight == 0)
        {
            check.Invalid($"kernel {w.KernelWidth}×{w.KernelHeight} and stride {w.StrideWidth}×{w.StrideHeight} must be non-zero");
        }

        // With every dimension at least 1, the in/out memory ranges (checked against main memory) bound each of
        // them, so the work is bounded by the declared memory; one empty dimension would leave the others unbounded.
        if (w.InWidth == 0 || w.InHeight == 0 || w.InChannels == 0 || w.OutWidth == 0 || w.OutHeight == 0 || w.OutChannels == 0)
        {
            check.Invalid($"input {w.InChannels}×{w.InHeight}×{w.InWidth} and output {w.OutChannels}×{w.OutHeight}×{w.OutWidth} must have no empty dimension");
        }
    }

    /// <summary>
    /// What kpu.c touches: it reads out_c input planes of in_w·in_h (not in_c), and visits every clipped window tap.
    /// </summary>
    public static void CheckRun(LayerChecker c, uint input, uint output, PoolWindow w, long element)
    {
        c.Main("in (in_w·in_h·out_c)", input, LayerChecker.Product(w.InWidth, w.InHeight, w.OutChannels, element));
        c.Main("out", output, LayerChecker.Product(w.OutWidth, w.OutHeight, w.OutChannels, element));
        long window = LayerChecker.Product(Math.Min(w.KernelWidth, w.InWidth), Math.Min(w.KernelHeight, w.InHeight));
        c.AddWork(LayerChecker.Product(w.OutWidth, w.OutHeight, w.OutChannels, Math.Max(1, window)));
        c.Require(LayerChecker.Product(w.OutWidth, w.OutHeight, w.OutChannels, Math.Max(1, window)) <= MaxWindowWork,
            SimulatorDiagnostics.TooLarge, "pool window work exceeds the simulator's limit");
    }
}
