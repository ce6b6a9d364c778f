using System.Buffers.Binary;

namespace Emc.Imaging.Jpeg;

/// <summary>
/// JPEG (JFIF/Adobe/EXIF) decoder: baseline and extended sequential Huffman (SOF0/SOF1) and progressive (SOF2),
/// 8-bit, 1 or 3 components, integer sampling factors, restart intervals. Output matches libjpeg-turbo's default
/// decode (ISLOW IDCT, fancy upsampling, fixed-point YCbCr→RGB). Lossless, hierarchical, arithmetic-coded,
/// 12-bit and CMYK/YCCK files are reported as unsupported.
/// </summary>
internal static class JpegDecoder
{
    public static RgbImage Decode(ReadOnlySpan<byte> data)
    {
        var state = new JpegDecodeState();
        int pos = 2;
        while (true)
        {
            pos = NextMarker(data, pos);
            if (pos < 0)
            {
                if (state.ScanCount == 0)
                {
                    throw Fail.Truncated("JPEG");
                }

                break; // no EOI after complete scans: decode what we have, as libjpeg does
            }

            byte marker = data[pos + 1];
            pos += 2;
            if (marker == 0xD9)
            {
                break;
            }

            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                continue; // stray restart marker / TEM: no segment
            }

            if (pos + 2 > data.Length)
            {
                throw Fail.Truncated("JPEG");
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2 || pos + length > data.Length)
            {
                throw Fail.Corrupt($"JPEG marker 0x{marker:X2} segment length {length} runs past the end of the file");
            }

            ReadOnlySpan<byte> segment = data.Slice(pos + 2, length - 2);
            pos += length;
            switch (marker)
            {
                case 0xC0 or 0xC1 or 0xC2:
                    state.ReadFrame(segment, progressive: marker == 0xC2, data.Length);
                    break;
                case 0xC3 or 0xC5 or 0xC6 or 0xC7 or 0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF:
                    throw Fail.With(ImagingDiagnostics.JpegUnsupported, $"JPEG process SOF{marker - 0xC0} ({DescribeProcess(marker)}) is not supported; only baseline, extended Huffman and progressive Huffman are");
                case 0xC4:
                    state.ReadHuffmanTables(segment);
                    break;
                case 0xCC:
                    throw Fail.With(ImagingDiagnostics.JpegUnsupported, "arithmetic-coded JPEG (DAC marker) is not supported");
                case 0xDB:
                    state.ReadQuantTables(segment);
                    break;
                case 0xDD:
                    if (segment.Length < 2)
                    {
                        throw Fail.Corrupt("JPEG DRI segment is too short");
                    }

                    state.RestartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment);
                    break;
                case 0xDA:
                    pos = state.DecodeScan(data, segment, pos);
                    break;
                case 0xEE:
                    state.ReadAdobe(segment);
                    break;
                case 0xE0:
                    state.SawJfif |= segment.StartsWith("JFIF\0"u8);
                    break;
                default:
                    break; // APPn, COM, DNL and others carry nothing the pixels need
            }
        }

        return state.Finish();
    }

    /// <summary>Offset of the next marker's 0xFF (fill bytes skipped), or −1 at the end of the data.</summary>
    private static int NextMarker(ReadOnlySpan<byte> data, int pos)
    {
        while (pos + 1 < data.Length)
        {
            if (data[pos] == 0xFF && data[pos + 1] != 0 && data[pos + 1] != 0xFF)
            {
                return pos;
            }

            pos++;
        }

        return -1;
    }

    private static string DescribeProcess(byte marker) => marker switch
    {
        0xC3 => "lossless",
        0xC5 or 0xC6 or 0xC7 => "hierarchical",
        0xC9 or 0xCA => "arithmetic coding",
        0xCB => "lossless arithmetic",
        _ => "hierarchical arithmetic",
    };
}
