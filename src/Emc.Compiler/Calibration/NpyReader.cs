using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Emc.Compiler.Calibration;

/// <summary>
/// Minimal .npy reader: float32 or uint8, little-endian, C order (versions 1–3). Every declared dimension and the
/// element count are checked against the bytes present before anything is allocated.
/// </summary>
internal static class NpyReader
{
    /// <summary>The values as float32 (uint8 widened), or null with <paramref name="error"/>.</summary>
    public static float[]? Read(byte[] data, out int[] shape, out string? error)
    {
        var array = ReadArray(data, out error);
        shape = array?.Shape ?? [];
        return array is null ? null : array.Floats ?? array.Bytes!.Select(b => (float)b).ToArray();
    }

    /// <summary>A decoded array: exactly one of <see cref="Floats"/> (dtype &lt;f4) and <see cref="Bytes"/> (u1) is set.</summary>
    public sealed record NpyArray(int[] Shape, float[]? Floats, byte[]? Bytes);

    /// <summary>The array, or null with <paramref name="error"/> (malformed, truncated, unsupported dtype).</summary>
    public static NpyArray? ReadArray(byte[] data, out string? error)
    {
        error = null;
        if (data.Length < 10 || data[0] != 0x93 || Encoding.ASCII.GetString(data, 1, 5) != "NUMPY")
        {
            error = "not a .npy file (magic \\x93NUMPY missing)";
            return null;
        }

        int major = data[6];
        long headerLength;
        int start;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(8));
            start = 10;
        }
        else
        {
            if (data.Length < 12)
            {
                error = "truncated .npy header";
                return null;
            }

            headerLength = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(8));
            start = 12;
        }

        if (start + headerLength > data.Length)
        {
            error = "truncated .npy header";
            return null;
        }

        string header = Encoding.Latin1.GetString(data, start, (int)headerLength);
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

        string[] dims = header[(open + 1)..close].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (!int.TryParse(dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                error = $"invalid shape ({header[(open + 1)..close]}) in the .npy header";
                return null;
            }
        }

        int elementSize = descr switch
        {
            "<f4" => 4,
            "|u1" or "<u1" => 1,
            _ => 0,
        };
        if (elementSize == 0)
        {
            error = $"dtype {descr} is not supported (float32 '<f4' or uint8 '|u1')";
            return null;
        }

        // Count in bytes with an overflow guard: the product of the dims can exceed long, never the file.
        long body = start + headerLength;
        long available = data.Length - body;
        long bytes = elementSize;
        foreach (int d in shape)
        {
            bytes = d == 0 ? 0 : bytes <= available / d ? bytes * d : long.MaxValue;
        }

        if (shape.Contains(0))
        {
            bytes = 0;
        }

        if (bytes > available)
        {
            error = string.Create(CultureInfo.InvariantCulture,
                $"truncated .npy data: shape ({string.Join(", ", shape)}) needs {(bytes == long.MaxValue ? "more than " + available.ToString(CultureInfo.InvariantCulture) : bytes.ToString(CultureInfo.InvariantCulture))} bytes, the file holds {available}");
            return null;
        }

        var span = data.AsSpan((int)body, (int)bytes);
        if (elementSize == 1)
        {
            return new NpyArray(shape, null, span.ToArray());
        }

        var f = new float[bytes / 4];
        for (int i = 0; i < f.Length; i++)
        {
            f[i] = BinaryPrimitives.ReadSingleLittleEndian(span[(4 * i)..]);
        }

        return new NpyArray(shape, f, null);
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
