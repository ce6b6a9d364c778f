namespace Emc.Imaging.Jpeg;

/// <summary>
/// A JPEG Huffman table (DHT) prepared for decoding: a 9-bit lookahead table resolves short codes in one step,
/// longer codes fall back to the canonical max-code-per-length walk.
/// </summary>
internal sealed class HuffmanTable
{
    public const int LookaheadBits = 9;

    // Lookahead entry: (code length << 8) | symbol; 0 means "longer than LookaheadBits".
    private readonly ushort[] _lookahead = new ushort[1 << LookaheadBits];
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valOffset = new int[17];
    private readonly byte[] _symbols;

    /// <param name="counts">Number of codes of each length 1..16 (index 0 = length 1).</param>
    public HuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> symbols)
    {
        _symbols = symbols.ToArray();
        int code = 0, k = 0;
        for (int length = 1; length <= 16; length++)
        {
            int n = counts[length - 1];
            _valOffset[length] = k - code;
            for (int i = 0; i < n; i++, k++, code++)
            {
                if (code >= 1 << length)
                {
                    throw Fail.Corrupt("JPEG Huffman table has more codes than its code lengths allow");
                }

                if (length <= LookaheadBits)
                {
                    int shift = LookaheadBits - length;
                    for (int fill = 0; fill < 1 << shift; fill++)
                    {
                        _lookahead[(code << shift) | fill] = (ushort)((length << 8) | _symbols[k]);
                    }
                }
            }

            _maxCode[length] = n == 0 ? -1 : code - 1;
            code <<= 1;
        }

        _maxCode[17] = int.MaxValue; // sentinel: a code longer than 16 bits is corrupt
    }

    /// <summary>Decodes one symbol from the bit reader.</summary>
    public int Decode(ref JpegBitReader bits)
    {
        int peek = bits.Peek(LookaheadBits);
        int entry = _lookahead[peek];
        if (entry != 0)
        {
            bits.Skip(entry >> 8);
            return entry & 0xFF;
        }

        int length = LookaheadBits + 1;
        int code = bits.Peek(length);
        while (length <= 16 && code > _maxCode[length])
        {
            length++;
            code = bits.Peek(length);
        }

        if (length > 16)
        {
            throw Fail.Corrupt("JPEG entropy data holds an invalid Huffman code");
        }

        bits.Skip(length);
        int index = code + _valOffset[length];
        if ((uint)index >= (uint)_symbols.Length)
        {
            throw Fail.Corrupt("JPEG entropy data holds an invalid Huffman code");
        }

        return _symbols[index];
    }
}
