namespace Emc.Compiler.Tests.Fuzz;

/// <summary>Test-side protobuf wire scanner: finds every length-delimited field (recursively, where the payload
/// itself parses as a message) so the fuzzer can corrupt lengths precisely.</summary>
internal static class ProtobufWire
{
    /// <summary>A length prefix: where its varint starts, how many bytes it takes, and the length it declares.</summary>
    public readonly record struct LengthField(int Offset, int VarintBytes, long Length);

    public static List<LengthField> LengthFields(byte[] data)
    {
        var fields = new List<LengthField>();
        Scan(data, 0, data.Length, fields, depth: 0);
        return fields;
    }

    public static byte[] EncodeVarint(ulong value)
    {
        var bytes = new List<byte>(10);
        do
        {
            byte b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        }
        while (value != 0);
        return [.. bytes];
    }

    /// <summary>Replaces the bytes [offset, offset+count) with <paramref name="replacement"/>.</summary>
    public static byte[] Splice(byte[] data, int offset, int count, ReadOnlySpan<byte> replacement)
    {
        var result = new byte[data.Length - count + replacement.Length];
        data.AsSpan(0, offset).CopyTo(result);
        replacement.CopyTo(result.AsSpan(offset));
        data.AsSpan(offset + count).CopyTo(result.AsSpan(offset + replacement.Length));
        return result;
    }

    private static bool Scan(byte[] data, int start, int end, List<LengthField> fields, int depth)
    {
        int found = fields.Count;
        int pos = start;
        while (pos < end)
        {
            if (!TryVarint(data, ref pos, end, out ulong key) || key >> 3 == 0)
            {
                fields.RemoveRange(found, fields.Count - found);
                return false;
            }

            switch ((int)(key & 7))
            {
                case 0:
                    if (!TryVarint(data, ref pos, end, out _))
                    {
                        goto invalid;
                    }

                    break;
                case 1:
                    pos += 8;
                    break;
                case 5:
                    pos += 4;
                    break;
                case 2:
                    int lengthAt = pos;
                    if (!TryVarint(data, ref pos, end, out ulong length) || length > (ulong)(end - pos))
                    {
                        goto invalid;
                    }

                    fields.Add(new LengthField(lengthAt, pos - lengthAt, (long)length));
                    if (depth < 8 && length > 0)
                    {
                        Scan(data, pos, pos + (int)length, fields, depth + 1);
                    }

                    pos += (int)length;
                    break;
                default:
                    goto invalid;
            }

            if (pos > end)
            {
                goto invalid;
            }
        }

        return true;

    invalid:
        fields.RemoveRange(found, fields.Count - found);
        return false;
    }

    private static bool TryVarint(byte[] data, ref int pos, int end, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64 && pos < end; shift += 7)
        {
            byte b = data[pos++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
