using System.Text;

namespace Emc.Imaging.Tests.Support;

/// <summary>Minimal binary PNM (P5 gray / P6 RGB, maxval ≤ 65535) reader and writer for exchanging pixels with the reference tools.</summary>
internal sealed record Pnm(int Width, int Height, int Channels, int MaxValue, ushort[] Samples)
{
    public static Pnm Parse(byte[] data)
    {
        int pos = 0;
        string magic = Token(data, ref pos);
        int width = int.Parse(Token(data, ref pos));
        int height = int.Parse(Token(data, ref pos));
        int max = int.Parse(Token(data, ref pos));
        pos++; // the single whitespace byte after maxval
        int channels = magic switch
        {
            "P5" => 1,
            "P6" => 3,
            _ => throw new InvalidDataException("unsupported PNM " + magic),
        };
        int count = width * height * channels;
        var samples = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = max < 256 ? data[pos + i] : (ushort)((data[pos + (2 * i)] << 8) | data[pos + (2 * i) + 1]);
        }

        return new Pnm(width, height, channels, max, samples);
    }

    /// <summary>The pixels as interleaved 8-bit RGB (gray replicated), for comparing with <see cref="RgbImage.Pixels"/>.</summary>
    public byte[] ToRgb8()
    {
        if (MaxValue != 255)
        {
            throw new InvalidOperationException("only 8-bit PNM converts directly");
        }

        var rgb = new byte[Width * Height * 3];
        for (int p = 0; p < Width * Height; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                rgb[(p * 3) + c] = (byte)Samples[(p * Channels) + (Channels == 3 ? c : 0)];
            }
        }

        return rgb;
    }

    public byte[] Encode()
    {
        var header = Encoding.ASCII.GetBytes($"{(Channels == 1 ? "P5" : "P6")}\n{Width} {Height}\n{MaxValue}\n");
        int bytesPerSample = MaxValue < 256 ? 1 : 2;
        var data = new byte[header.Length + (Samples.Length * bytesPerSample)];
        header.CopyTo(data, 0);
        for (int i = 0; i < Samples.Length; i++)
        {
            if (bytesPerSample == 1)
            {
                data[header.Length + i] = (byte)Samples[i];
            }
            else
            {
                data[header.Length + (2 * i)] = (byte)(Samples[i] >> 8);
                data[header.Length + (2 * i) + 1] = (byte)Samples[i];
            }
        }

        return data;
    }

    private static string Token(byte[] data, ref int pos)
    {
        while (true)
        {
            while (char.IsWhiteSpace((char)data[pos]))
            {
                pos++;
            }

            if (data[pos] != '#')
            {
                break;
            }

            while (data[pos] != '\n')
            {
                pos++;
            }
        }

        int start = pos;
        while (!char.IsWhiteSpace((char)data[pos]))
        {
            pos++;
        }

        return Encoding.ASCII.GetString(data, start, pos - start);
    }
}
