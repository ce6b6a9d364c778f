using System.Buffers.Binary;
using System.Text;

namespace Emc.Compiler.Calibration;

/// <summary>Minimal .npy reader: float32 or uint8, little-endian, C order (versions 1–3).</summary>
internal static class NpyReader
{
    /// <summary>The values as float32, or null with <paramref name="error"/>.</summary>
    public static float[]? Read(byte[] data, out int[] shape, out string? error)
    {
        shape = [];
        error = null;
        if (data.Length < 10 || data[0] != 0x93 || Encoding.ASCII.GetString(data, 1, 5) != "NUMPY")
        {
            error = "not a .npy file (magic \\x93NUMPY missing)";
            return null;
        }

        int major = data[6];
        int headerLength, start;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(8));
            start = 10;
        }
        else
        {
            headerLength = (int)Math.Min(int.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(8)));
            start = 12;
        }

        if (start + (long)headerLength > data.Length)
        {
            error = "truncated .npy header";
            return null;
        }

        string header = Encoding.Latin1.GetString(data, start, headerLength);
        string? descr = Field(header, "descr");
        if (header.Contains("'fortran_order': True", StringComparison.Ordinal))
        {
            error = "Fortran-order arrays are not supported (save with C order)";
            return null;
        }

        int open = header.IndexOf('(', StringComparison.Ordinal), close = header.IndexOf(')', StringComparison.Ordinal);
        if (open < 0 || close < open)
        {
            error = "no shape in the .npy header";
            return null;
        }

        shape = header[(open + 1)..close].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out int v) ? v : -1).ToArray();
        if (shape.Any(d => d < 0))
        {
            error = "invalid shape in the .npy header";
            return null;
        }

        long count = shape.Aggregate(1L, (a, d) => a * d);
        int body = start + headerLength;
        switch (descr)
        {
            case "<f4":
                if (body + (count * 4) > data.Length)
                {
                    error = "truncated .npy data";
                    return null;
                }

                var f = new float[count];
                for (long i = 0; i < count; i++)
                {
                    f[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan((int)(body + (4 * i))));
                }

                return f;
            case "|u1":
            case "<u1":
                if (body + count > data.Length)
                {
                    error = "truncated .npy data";
                    return null;
                }

                return data.AsSpan(body, (int)count).ToArray().Select(b => (float)b).ToArray();
            default:
                error = $"dtype {descr} is not supported (float32 '<f4' or uint8 '|u1')";
                return null;
        }
    }

    private static string? Field(string header, string name)
    {
        int i = header.IndexOf($"'{name}'", StringComparison.Ordinal);
        if (i < 0)
        {
            return null;
        }

        int q1 = header.IndexOf('\'', i + name.Length + 2);
        int q2 = q1 < 0 ? -1 : header.IndexOf('\'', q1 + 1);
        return q1 < 0 || q2 < 0 ? null : header[(q1 + 1)..q2];
    }
}
