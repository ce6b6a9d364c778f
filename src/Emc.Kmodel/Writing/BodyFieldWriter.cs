using System.Buffers.Binary;

namespace Emc.Kmodel;

/// <summary>Little-endian field writes inside a body slot: field <c>i</c> is the u32 at byte 4·i.</summary>
internal readonly ref struct BodyFieldWriter(Span<byte> bytes)
{
    private readonly Span<byte> _bytes = bytes;

    public void U(int field, params ReadOnlySpan<uint> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_bytes[(4 * (field + i))..], values[i]);
        }
    }

    public void I(int field, params ReadOnlySpan<int> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_bytes[(4 * (field + i))..], values[i]);
        }
    }

    public void F(int field, params ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(_bytes[(4 * (field + i))..], values[i]);
        }
    }

    public void Floats(int byteOffset, float[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(_bytes[(byteOffset + (4 * i))..], values[i]);
        }
    }

    public void Bytes(int byteOffset, ReadOnlySpan<byte> values) => values.CopyTo(_bytes[byteOffset..]);

    public void Window(int field, PoolWindow p) => U(field, p.InWidth, p.InHeight, p.InChannels, p.OutWidth, p.OutHeight,
        p.OutChannels, p.KernelWidth, p.KernelHeight, p.StrideWidth, p.StrideHeight, p.PadWidth, p.PadHeight);
}
