using System.Text;

namespace Emc.Compiler.CodeGen;

/// <summary>Writes bytes as "0x00, " lists, 16 per line, without per-byte allocation.</summary>
internal static class ByteArrayWriter
{
    private static readonly string[] s_hex = Enumerable.Range(0, 256).Select(b => $"0x{b:x2},").ToArray();

    public static void Append(StringBuilder builder, ReadOnlySpan<byte> bytes, string indent)
    {
        for (int i = 0; i < bytes.Length; i += 16)
        {
            builder.Append(indent);
            int end = Math.Min(i + 16, bytes.Length);
            for (int j = i; j < end; j++)
            {
                builder.Append(s_hex[bytes[j]]);
                if (j + 1 < end)
                {
                    builder.Append(' ');
                }
            }

            builder.Append('\n');
        }
    }
}
