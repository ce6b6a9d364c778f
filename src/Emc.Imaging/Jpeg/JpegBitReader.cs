namespace Emc.Imaging.Jpeg;

/// <summary>
/// Reads entropy-coded bits MSB first, removing 0xFF00 stuffing. At a marker (or the end of the data) it supplies
/// zero bits as libjpeg does, and remembers whether the data ran out so that truncated files can be reported.
/// </summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;
    private ulong _buffer;
    private int _count;
    private int _zeroBytesFed;

    public JpegBitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        _pos = position;
    }

    /// <summary>Position of the next unread byte (a marker, once the scan's data is consumed).</summary>
    public readonly int Position => _pos;

    /// <summary>True when the decoder needed more bits than the scan held before a marker or the end of the file.</summary>
    public readonly bool Overran => _zeroBytesFed > 0 && (_count - (8 * _zeroBytesFed)) < 0;

    public readonly bool HitEndOfData => _pos >= _data.Length;

    public int Peek(int n)
    {
        if (_count < n)
        {
            Fill();
        }

        return (int)(_buffer >> (64 - n));
    }

    public void Skip(int n)
    {
        _buffer <<= n;
        _count -= n;
    }

    public int ReadBits(int n)
    {
        if (n == 0)
        {
            return 0;
        }

        int v = Peek(n);
        Skip(n);
        return v;
    }

    public int ReadBit() => ReadBits(1);

    /// <summary>Reads an n-bit magnitude and sign-extends it (JPEG EXTEND).</summary>
    public int Receive(int n)
    {
        if (n == 0)
        {
            return 0;
        }

        int v = ReadBits(n);
        return v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
    }

    /// <summary>Discards buffered bits (at a restart marker) and returns to byte alignment.</summary>
    public void Reset()
    {
        _buffer = 0;
        _count = 0;
        _zeroBytesFed = 0;
    }

    /// <summary>Consumes the RSTn marker expected at a restart boundary; tolerates junk before it like libjpeg.</summary>
    public void ExpectRestart()
    {
        Reset();
        while (_pos + 1 < _data.Length)
        {
            if (_data[_pos] == 0xFF && _data[_pos + 1] >= 0xD0 && _data[_pos + 1] <= 0xD7)
            {
                _pos += 2;
                return;
            }

            if (_data[_pos] == 0xFF && _data[_pos + 1] != 0 && _data[_pos + 1] != 0xFF)
            {
                return; // another marker: leave it for the caller, data resumes with zeros
            }

            _pos++;
        }

        _pos = _data.Length;
    }

    private void Fill()
    {
        while (_count <= 56)
        {
            int b = 0;
            if (_pos < _data.Length)
            {
                b = _data[_pos];
                if (b == 0xFF)
                {
                    int next = _pos + 1 < _data.Length ? _data[_pos + 1] : -1;
                    if (next == 0)
                    {
                        _pos += 2;
                    }
                    else if (next == 0xFF)
                    {
                        _pos++; // fill byte before a marker
                        continue;
                    }
                    else
                    {
                        b = 0;
                        _zeroBytesFed++;
                    }
                }
                else
                {
                    _pos++;
                }
            }
            else
            {
                _zeroBytesFed++;
            }

            _buffer |= (ulong)b << (56 - _count);
            _count += 8;
        }
    }
}
