using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.Ops.Support;

/// <summary>Nearest-neighbour index maps (ONNX Resize coordinate transformation and rounding) and the gather that applies them.</summary>
internal static class NearestResampling
{
    public static readonly string[] CoordinateModes =
        ["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nearest"];

    public static readonly string[] NearestModes = ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"];

    /// <summary>Input index for each output index along one axis.</summary>
    public static int[] Map(int inLength, int outLength, double scale, string coordinateMode, string nearestMode)
    {
        var map = new int[outLength];
        for (int x = 0; x < outLength; x++)
        {
            double original = coordinateMode switch
            {
                "half_pixel" => ((x + 0.5) / scale) - 0.5,
                "half_pixel_symmetric" => HalfPixelSymmetric(x, inLength, outLength, scale),
                "pytorch_half_pixel" => outLength > 1 ? ((x + 0.5) / scale) - 0.5 : 0,
                "align_corners" => outLength == 1 ? 0 : x * (double)(inLength - 1) / (outLength - 1),
                "tf_half_pixel_for_nearest" => (x + 0.5) / scale,
                _ => x / scale,
            };

            double rounded = nearestMode switch
            {
                "round_prefer_ceil" => Math.Floor(original + 0.5),
                "floor" => Math.Floor(original),
                "ceil" => Math.Ceiling(original),
                _ => Math.Ceiling(original - 0.5), // round_prefer_floor: halves go down
            };

            map[x] = (int)Math.Clamp(rounded, 0, inLength - 1);
        }

        return map;
    }

    private static double HalfPixelSymmetric(int x, int inLength, int outLength, double scale)
    {
        double adjustment = outLength / (scale * inLength);
        double center = inLength / 2.0;
        double offset = center * (1 - adjustment);
        return offset + ((x + 0.5) / scale) - 0.5;
    }

    public static void Apply(Tensor input, int[][] maps, Tensor output)
    {
        switch (ElementBytes.Size(input.Type))
        {
            case 1: Gather<byte>(ElementBytes.As<byte>(input), input.Shape, maps, ElementBytes.As<byte>(output)); break;
            case 2: Gather<ushort>(ElementBytes.As<ushort>(input), input.Shape, maps, ElementBytes.As<ushort>(output)); break;
            case 4: Gather<uint>(ElementBytes.As<uint>(input), input.Shape, maps, ElementBytes.As<uint>(output)); break;
            default: Gather<ulong>(ElementBytes.As<ulong>(input), input.Shape, maps, ElementBytes.As<ulong>(output)); break;
        }
    }

    private static void Gather<T>(ReadOnlySpan<T> source, Ir.Shape shape, int[][] maps, Span<T> destination)
        where T : unmanaged
    {
        int rank = shape.Rank;
        if (destination.Length == 0)
        {
            return;
        }

        if (rank == 0)
        {
            destination[0] = source[0];
            return;
        }

        long[] strides = shape.Strides();
        int[] lastMap = maps[rank - 1];
        Span<int> counter = stackalloc int[rank];
        counter.Clear();
        for (int o = 0; o < destination.Length; o += lastMap.Length)
        {
            long rowOffset = 0;
            for (int a = 0; a < rank - 1; a++)
            {
                rowOffset += maps[a][counter[a]] * strides[a];
            }

            var row = destination.Slice(o, lastMap.Length);
            var sourceRow = source.Slice((int)rowOffset, shape[rank - 1]);
            for (int j = 0; j < row.Length; j++)
            {
                row[j] = sourceRow[lastMap[j]];
            }

            for (int axis = rank - 2; axis >= 0; axis--)
            {
                if (++counter[axis] < maps[axis].Length)
                {
                    break;
                }

                counter[axis] = 0;
            }
        }
    }
}
