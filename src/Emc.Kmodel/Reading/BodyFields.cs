using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Emc.Kmodel;

/// <summary>Little-endian field access inside a body: field <c>i</c> is the u32 at byte 4·i.</summary>
internal readonly ref struct BodyFields(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;

    public uint U(int field) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[(4 * field)..]);

    public int I(int field) => BinaryPrimitives.ReadInt32LittleEndian(_bytes[(4 * field)..]);

    public float F(int field) => BinaryPrimitives.ReadSingleLittleEndian(_bytes[(4 * field)..]);

    public float[] Floats(int byteOffset, int count)
    {
        var result = new float[count];
        var source = _bytes.Slice(byteOffset, 4 * count);
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, float>(source).CopyTo(result);
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                result[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
            }
        }

        return result;
    }

    public PoolWindow Window(int firstField) => new(
        U(firstField), U(firstField + 1), U(firstField + 2), U(firstField + 3), U(firstField + 4), U(firstField + 5),
        U(firstField + 6), U(firstField + 7), U(firstField + 8), U(firstField + 9), U(firstField + 10), U(firstField + 11));
}
