using System.Runtime.Intrinsics;

namespace Emc.Kmodel.Simulation;

/// <summary>
/// The KPU pool stage (spec §5.6) on one uint8 activation plane. Pick types (0, 5, 6, 7) select conv outputs, so
/// the conv engine computes only the picked pixels (<see cref="PickOrigin"/>); the reducing types run here.
/// Edge policy for the stride-1 types, whose 2×2 window passes the last row/column (spec [U], v0.2 kernel):
/// max ignores taps outside the plane; mean replicates the edge pixel. Means divide by 4 or 16 truncating.
/// </summary>
internal static class KpuPooling
{
    public const int MaxPoolType = 9;

    /// <summary>Pool stride (the output is <c>floor(in / stride)</c>); 0 for an unknown type.</summary>
    public static int Stride(int poolType) => poolType switch
    {
        0 or 8 or 9 => 1,
        1 or 2 or 5 or 6 => 2,
        3 or 4 or 7 => 4,
        _ => 0,
    };

    /// <summary>For pick types: the offset of the picked pixel inside its window; null for reducing types.</summary>
    public static (int Y, int X)? PickOrigin(int poolType) => poolType switch
    {
        0 or 5 or 7 => (0, 0),
        6 => (0, 1),
        _ => null,
    };

    /// <summary>Reduces an ih×iw plane to oh×ow for types 1, 2, 3, 4, 8, 9.</summary>
    public static void Reduce(int poolType, ReadOnlySpan<byte> src, int ih, int iw, Span<byte> dst, int oh, int ow)
    {
        switch (poolType)
        {
            case 1:
                Max2x2Stride2(src, iw, dst, oh, ow);
                break;
            case 3:
                Max(src, iw, dst, oh, ow, 4, 4, ih);
                break;
            case 9:
                Max2x2Stride1(src, ih, iw, dst, oh, ow);
                break;
            case 2:
                Mean(src, ih, iw, dst, oh, ow, 2, 2);
                break;
            case 4:
                Mean(src, ih, iw, dst, oh, ow, 4, 4);
                break;
            case 8:
                Mean(src, ih, iw, dst, oh, ow, 2, 1);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(poolType), poolType, "not a reducing pool type");
        }
    }

    /// <summary>Type 1: every window is inside the plane (oh = ⌊ih/2⌋, ow = ⌊iw/2⌋); rows are maxed 16 outputs at a time.</summary>
    private static void Max2x2Stride2(ReadOnlySpan<byte> src, int iw, Span<byte> dst, int oh, int ow)
    {
        for (int oy = 0; oy < oh; oy++)
        {
            ReadOnlySpan<byte> r0 = src.Slice(2 * oy * iw, 2 * ow);
            ReadOnlySpan<byte> r1 = src.Slice(((2 * oy) + 1) * iw, 2 * ow);
            Span<byte> d = dst.Slice(oy * ow, ow);
            int ox = 0;
            if (Vector128.IsHardwareAccelerated)
            {
                for (; ox + 16 <= ow; ox += 16)
                {
                    // Vertical max of 32 bytes, then max of each (even, odd) byte pair as 16-bit lanes, narrowed.
                    Vector128<byte> a = Vector128.Max(Vector128.Create(r0.Slice(2 * ox, 16)), Vector128.Create(r1.Slice(2 * ox, 16)));
                    Vector128<byte> b = Vector128.Max(Vector128.Create(r0.Slice((2 * ox) + 16, 16)), Vector128.Create(r1.Slice((2 * ox) + 16, 16)));
                    Vector128<ushort> aw = a.AsUInt16(), bw = b.AsUInt16();
                    Vector128<ushort> am = Vector128.Max(aw & Vector128.Create((ushort)0xFF), aw >>> 8);
                    Vector128<ushort> bm = Vector128.Max(bw & Vector128.Create((ushort)0xFF), bw >>> 8);
                    Vector128.Narrow(am, bm).CopyTo(d.Slice(ox, 16));
                }
            }

            for (; ox < ow; ox++)
            {
                d[ox] = Math.Max(Math.Max(r0[2 * ox], r0[(2 * ox) + 1]), Math.Max(r1[2 * ox], r1[(2 * ox) + 1]));
            }
        }
    }

    /// <summary>Type 9: 2×2 windows at stride 1; taps past the last row or column are ignored.</summary>
    private static void Max2x2Stride1(ReadOnlySpan<byte> src, int ih, int iw, Span<byte> dst, int oh, int ow)
    {
        for (int oy = 0; oy < oh; oy++)
        {
            ReadOnlySpan<byte> r0 = src.Slice(oy * iw, iw);
            ReadOnlySpan<byte> r1 = oy + 1 < ih ? src.Slice((oy + 1) * iw, iw) : r0;
            Span<byte> d = dst.Slice(oy * ow, ow);
            for (int ox = 0; ox < ow; ox++)
            {
                int x1 = ox + 1 < iw ? ox + 1 : ox;
                d[ox] = Math.Max(Math.Max(r0[ox], r0[x1]), Math.Max(r1[ox], r1[x1]));
            }
        }
    }

    private static void Max(ReadOnlySpan<byte> src, int iw, Span<byte> dst, int oh, int ow, int k, int stride, int ih)
    {
        for (int oy = 0; oy < oh; oy++)
        {
            int y0 = oy * stride;
            int y1 = Math.Min(y0 + k, ih);
            for (int ox = 0; ox < ow; ox++)
            {
                int x0 = ox * stride;
                int x1 = Math.Min(x0 + k, iw);
                byte m = 0;
                for (int y = y0; y < y1; y++)
                {
                    ReadOnlySpan<byte> row = src.Slice((y * iw) + x0, x1 - x0);
                    foreach (byte v in row)
                    {
                        m = Math.Max(m, v);
                    }
                }

                dst[(oy * ow) + ox] = m;
            }
        }
    }

    private static void Mean(ReadOnlySpan<byte> src, int ih, int iw, Span<byte> dst, int oh, int ow, int k, int stride)
    {
        int count = k * k;
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                int sum = 0;
                for (int ky = 0; ky < k; ky++)
                {
                    int y = Math.Min((oy * stride) + ky, ih - 1);
                    for (int kx = 0; kx < k; kx++)
                    {
                        int x = Math.Min((ox * stride) + kx, iw - 1);
                        sum += src[(y * iw) + x];
                    }
                }

                dst[(oy * ow) + ox] = (byte)(sum / count);
            }
        }
    }
}
