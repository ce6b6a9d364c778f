using System.Buffers.Binary;
using System.Globalization;

namespace Emc.Kmodel;

/// <summary>Names what a file that is not kmodel v3 looks like, from its first words (spec §1.1, testdata notes).</summary>
internal static class FormatSniffer
{
    public const uint KmdlFourCc = 0x4B4D444C; // bytes "LDMK" on disk
    private const uint ByteSwappedV3 = 0x03000000;

    public static string Describe(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4)
        {
            return string.Create(CultureInfo.InvariantCulture, $"the file has only {data.Length} bytes (a kmodel v3 header has 28)");
        }

        uint first = BinaryPrimitives.ReadUInt32LittleEndian(data);
        switch (first)
        {
            case KmdlFourCc:
            {
                string version = data.Length >= 8
                    ? BinaryPrimitives.ReadUInt32LittleEndian(data[4..]).ToString(CultureInfo.InvariantCulture)
                    : "?";
                string producer = version switch { "4" => "nncase 0.2", "5" => "nncase 1.x", _ => "nncase ≥0.2" };
                return $"it looks like kmodel v{version} ('KMDL') from {producer}; kmodel v4+ needs the nncase runtime, this tool reads v3 (nncase 0.1 / Maix-EMC)";
            }

            case 1:
                return "it looks like a legacy kmodel v1 (kpu_model_header_t, pre-nncase)";
            case ByteSwappedV3:
                return "it looks like a byte-swapped (big-endian) kmodel v3 flash image, e.g. MaixPy's 'be' format; swap every 32-bit word first";
            case 2:
                return "version 2 is not a known kmodel format";
            default:
                return string.Create(CultureInfo.InvariantCulture, $"the first word is 0x{first:X8}, not version 3");
        }
    }
}
