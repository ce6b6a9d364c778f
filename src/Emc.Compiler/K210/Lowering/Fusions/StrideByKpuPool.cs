using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>A regular conv with stride 2 sampled at even coordinates (PyTorch padding on an even map) → pool type 5.</summary>
internal sealed class StrideByKpuPool : IPass
{
    public static readonly StrideByKpuPool Instance = new();

    public string Name => "stride-by-kpu-pool";

    public string Summary => "a regular stride-2 conv sampled at even coordinates → the stride-1 conv with KPU pool type 5 (left-top 2×2/s2)";

    /// <summary>True when the stride-1 map sampled from (r0, c0) every <paramref name="stride"/> is pool 5's pick.</summary>
    public bool Matches(int stride, int r0, int c0, int inHeight, int inWidth, int outHeight, int outWidth) =>
        stride == 2 && r0 == 0 && c0 == 0 && outHeight == inHeight / 2 && outWidth == inWidth / 2;
}
