namespace Emc.Imaging.Tests.Support;

/// <summary>Reads the few ONNX TensorProto fields the tests need: dims (1), data_type (2), raw_data (9).</summary>
internal static class TensorProtoReader
{
    public static (long[] Dims, int DataType, byte[] Raw) Read(byte[] pb)
    {
        var dims = new List<long>();
        int dataType = 0;
        byte[] raw = [];
        int pos = 0;
        while (pos < pb.Length)
        {
            ulong key = Varint(pb, ref pos);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    ulong v = Varint(pb, ref pos);
                    if (field == 1)
                    {
                        dims.Add((long)v);
                    }
                    else if (field == 2)
                    {
                        dataType = (int)v;
                    }

                    break;
                case 2:
                    int length = (int)Varint(pb, ref pos);
                    if (field == 1)
                    {
                        for (int end = pos + length; pos < end;)
                        {
                            dims.Add((long)Varint(pb, ref pos));
                        }
                    }
                    else
                    {
                        if (field == 9)
                        {
                            raw = pb[pos..(pos + length)];
                        }

                        pos += length;
                    }

                    break;
                case 5:
                    pos += 4;
                    break;
                case 1:
                    pos += 8;
                    break;
                default:
                    throw new InvalidDataException($"unexpected wire type {wire}");
            }
        }

        return ([.. dims], dataType, raw);
    }

    private static ulong Varint(byte[] b, ref int pos)
    {
        ulong result = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte x = b[pos++];
            result |= (ulong)(x & 0x7F) << shift;
            if (x < 0x80)
            {
                return result;
            }
        }
    }
}
