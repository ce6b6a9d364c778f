using System.Buffers.Binary;

namespace Emc.Imaging.Jpeg;

/// <summary>Tables, frame and coefficient buffers accumulated while reading a JPEG's markers.</summary>
internal sealed class JpegDecodeState
{
    private readonly ushort[]?[] _quant = new ushort[4][];
    private readonly HuffmanTable?[] _dc = new HuffmanTable[4];
    private readonly HuffmanTable?[] _ac = new HuffmanTable[4];
    private readonly Dictionary<JpegComponent, ushort[]> _latchedQuant = [];
    private JpegComponent[]? _components;
    private bool _progressive;
    private int _width, _height, _mcusPerLine, _mcusPerColumn, _hMax, _vMax;
    private int _adobeTransform = -1;

    public int RestartInterval { get; set; }

    public int ScanCount { get; private set; }

    public bool SawJfif { get; set; }

    public void ReadAdobe(ReadOnlySpan<byte> segment)
    {
        if (segment.Length >= 12 && segment.StartsWith("Adobe"u8))
        {
            _adobeTransform = segment[11];
        }
    }

    public void ReadQuantTables(ReadOnlySpan<byte> segment)
    {
        ReadOnlySpan<byte> natural = ZigZag.ToNatural;
        while (segment.Length > 0)
        {
            int precision = segment[0] >> 4, id = segment[0] & 15;
            int size = precision == 0 ? 64 : 128;
            if (id > 3 || precision > 1 || segment.Length < 1 + size)
            {
                throw Fail.Corrupt("JPEG DQT segment is malformed");
            }

            var table = new ushort[64];
            for (int k = 0; k < 64; k++)
            {
                table[natural[k]] = precision == 0 ? segment[1 + k] : BinaryPrimitives.ReadUInt16BigEndian(segment[(1 + (2 * k))..]);
            }

            _quant[id] = table;
            segment = segment[(1 + size)..];
        }
    }

    public void ReadHuffmanTables(ReadOnlySpan<byte> segment)
    {
        while (segment.Length > 0)
        {
            if (segment.Length < 17)
            {
                throw Fail.Corrupt("JPEG DHT segment is malformed");
            }

            int tableClass = segment[0] >> 4, id = segment[0] & 15;
            int total = 0;
            for (int i = 1; i <= 16; i++)
            {
                total += segment[i];
            }

            if (tableClass > 1 || id > 3 || total > 256 || segment.Length < 17 + total)
            {
                throw Fail.Corrupt("JPEG DHT segment is malformed");
            }

            var table = new HuffmanTable(segment.Slice(1, 16), segment.Slice(17, total));
            (tableClass == 0 ? _dc : _ac)[id] = table;
            segment = segment[(17 + total)..];
        }
    }

    public void ReadFrame(ReadOnlySpan<byte> segment, bool progressive, int fileLength)
    {
        if (_components is not null)
        {
            throw Fail.Corrupt("JPEG has more than one frame header");
        }

        if (segment.Length < 6)
        {
            throw Fail.Corrupt("JPEG SOF segment is too short");
        }

        int precision = segment[0];
        _height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
        _width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
        int count = segment[5];
        if (precision != 8)
        {
            throw Fail.With(ImagingDiagnostics.JpegUnsupported, $"{precision}-bit JPEG is not supported; only 8-bit samples are");
        }

        if (_height == 0)
        {
            throw Fail.With(ImagingDiagnostics.JpegUnsupported, "JPEG with the height defined later by a DNL marker is not supported");
        }

        if (count == 4)
        {
            throw Fail.With(ImagingDiagnostics.JpegUnsupported, "4-component (CMYK/YCCK) JPEG is not supported");
        }

        if (count != 1 && count != 3)
        {
            throw Fail.With(ImagingDiagnostics.JpegUnsupported, $"JPEG with {count} components is not supported; only 1 (gray) or 3 (colour) are");
        }

        if (segment.Length < 6 + (3 * count))
        {
            throw Fail.Corrupt("JPEG SOF segment is too short for its components");
        }

        ImageLimits.Check(_width, _height, "JPEG");
        _progressive = progressive;
        _components = new JpegComponent[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> c = segment.Slice(6 + (3 * i), 3);
            int h = c[1] >> 4, v = c[1] & 15;
            if (h is < 1 or > 4 || v is < 1 or > 4 || c[2] > 3)
            {
                throw Fail.Corrupt($"JPEG component {c[0]} has invalid sampling {h}x{v} or quantisation table {c[2]}");
            }

            _components[i] = new JpegComponent(c[0], h, v, c[2]);
        }

        _hMax = _components.Max(c => c.H);
        _vMax = _components.Max(c => c.V);
        foreach (JpegComponent c in _components)
        {
            if (_hMax % c.H != 0 || _vMax % c.V != 0)
            {
                throw Fail.With(ImagingDiagnostics.JpegUnsupported, $"JPEG sampling factors {c.H}x{c.V} of component {c.Id} are not an integer fraction of {_hMax}x{_vMax}");
            }
        }

        _mcusPerLine = DivCeil(_width, 8 * _hMax);
        _mcusPerColumn = DivCeil(_height, 8 * _vMax);
        long usedBlocks = 0;
        foreach (JpegComponent c in _components)
        {
            c.DownsampledWidth = DivCeil(_width * c.H, _hMax);
            c.DownsampledHeight = DivCeil(_height * c.V, _vMax);
            c.UsedBlocksPerLine = DivCeil(c.DownsampledWidth, 8);
            c.UsedBlocksPerColumn = DivCeil(c.DownsampledHeight, 8);
            c.BlocksPerLine = _mcusPerLine * c.H;
            c.BlocksPerColumn = _mcusPerColumn * c.V;
            usedBlocks += (long)c.UsedBlocksPerLine * c.UsedBlocksPerColumn;
        }

        // Every block costs at least one bit of Huffman code, so the file bounds the real size; refuse before allocating.
        if (usedBlocks > (long)fileLength * 8)
        {
            throw Fail.Corrupt($"JPEG declares {_width}x{_height} but the file is far too small to hold that many blocks");
        }

        foreach (JpegComponent c in _components)
        {
            c.Coefficients = new short[c.BlocksPerLine * c.BlocksPerColumn * 64];
        }
    }

    /// <summary>Reads an SOS header and its entropy-coded data; returns the position after the data.</summary>
    public int DecodeScan(ReadOnlySpan<byte> data, ReadOnlySpan<byte> header, int position)
    {
        if (_components is null)
        {
            throw Fail.Corrupt("JPEG scan appears before the frame header");
        }

        int count = header.Length > 0 ? header[0] : 0;
        if (count is < 1 or > 4 || header.Length < 4 + (2 * count))
        {
            throw Fail.Corrupt("JPEG SOS segment is malformed");
        }

        var scanComponents = new JpegComponent[count];
        for (int i = 0; i < count; i++)
        {
            int id = header[1 + (2 * i)];
            JpegComponent? c = Array.Find(_components, x => x.Id == id);
            if (c is null || Array.IndexOf(scanComponents, c) >= 0)
            {
                throw Fail.Corrupt($"JPEG scan names unknown or repeated component {id}");
            }

            c.DcTable = header[2 + (2 * i)] >> 4;
            c.AcTable = header[2 + (2 * i)] & 15;
            if (c.DcTable > 3 || c.AcTable > 3)
            {
                throw Fail.Corrupt("JPEG scan names a Huffman table id above 3");
            }

            if (!_latchedQuant.ContainsKey(c))
            {
                _latchedQuant[c] = _quant[c.QuantTable] ?? throw Fail.Corrupt($"JPEG component {c.Id} uses undefined quantisation table {c.QuantTable}");
            }

            scanComponents[i] = c;
        }

        int p = 1 + (2 * count);
        var scan = new JpegScan(scanComponents, header[p], header[p + 1], header[p + 2] >> 4, header[p + 2] & 15);
        if (_progressive)
        {
            bool dc = scan.Ss == 0;
            if (scan.Se > 63 || scan.Ss > scan.Se || (dc && scan.Se != 0) || (!dc && count != 1) || scan.Al > 13 || scan.Ah > 13)
            {
                throw Fail.Corrupt($"JPEG progressive scan has invalid parameters Ss={scan.Ss} Se={scan.Se} Ah={scan.Ah} Al={scan.Al}");
            }
        }
        else
        {
            scan = scan with { Ss = 0, Se = 63, Ah = 0, Al = 0 };
        }

        if (count > 1 && scanComponents.Sum(c => c.H * c.V) > 10)
        {
            throw Fail.Corrupt("JPEG scan has more than 10 blocks per MCU");
        }

        ScanCount++;
        return JpegScanDecoder.Decode(data, position, scan, _progressive, RestartInterval, _mcusPerLine, _mcusPerColumn, _dc, _ac);
    }

    public RgbImage Finish()
    {
        if (_components is null || ScanCount == 0)
        {
            throw Fail.Corrupt("JPEG has no frame or no scan");
        }

        var planes = new byte[_components.Length][];
        for (int i = 0; i < _components.Length; i++)
        {
            JpegComponent c = _components[i];
            planes[i] = JpegUpsampler.Upsample(Reconstruct(c), c.BlocksPerLine * 8, c.DownsampledWidth, c.DownsampledHeight,
                _hMax / c.H, _vMax / c.V, _width, _height);
        }

        var pixels = new byte[_width * _height * 3];
        if (_components.Length == 1)
        {
            byte[] gray = planes[0];
            for (int i = 0; i < gray.Length; i++)
            {
                pixels[i * 3] = pixels[(i * 3) + 1] = pixels[(i * 3) + 2] = gray[i];
            }
        }
        else if (IsRgb())
        {
            for (int i = 0; i < _width * _height; i++)
            {
                pixels[i * 3] = planes[0][i];
                pixels[(i * 3) + 1] = planes[1][i];
                pixels[(i * 3) + 2] = planes[2][i];
            }
        }
        else
        {
            YccToRgb.Convert(planes[0], planes[1], planes[2], pixels);
        }

        return new RgbImage(_width, _height, pixels);
    }

    /// <summary>Colour space rule of libjpeg: JFIF means YCbCr; else Adobe transform 0 or component ids R,G,B mean RGB.</summary>
    private bool IsRgb()
    {
        if (SawJfif)
        {
            return false;
        }

        if (_adobeTransform >= 0)
        {
            return _adobeTransform == 0;
        }

        return _components![0].Id == 'R' && _components[1].Id == 'G' && _components[2].Id == 'B';
    }

    private byte[] Reconstruct(JpegComponent c)
    {
        int stride = c.BlocksPerLine * 8;
        var plane = new byte[stride * c.BlocksPerColumn * 8];
        // A component no scan coded keeps zero coefficients (mid-gray), as in libjpeg.
        ushort[] quant = _latchedQuant.GetValueOrDefault(c) ?? new ushort[64];

        for (int row = 0; row < c.BlocksPerColumn; row++)
        {
            for (int col = 0; col < c.BlocksPerLine; col++)
            {
                IslowIdct.Transform(c.Block(row, col), quant, plane.AsSpan((row * 8 * stride) + (col * 8)), stride);
            }
        }

        return plane;
    }

    private static int DivCeil(int a, int b) => (a + b - 1) / b;
}
