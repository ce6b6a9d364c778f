using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Emc.Build.Tasks.Kfpkg;

/// <summary>
/// Writes a K210 firmware bundle (spec §11): a ZIP holding the files in flash-address order followed by
/// <c>flash-list.json</c>, as kflash.py reads it: decimal addresses (strict JSON), <c>address</c> never the last key
/// and on one line. Byte-identical output for identical input (fixed timestamps and order).
/// </summary>
internal static class KfpkgWriter
{
    /// <summary>kflash writes 64 KiB frames, zero-padding the last one, so entries may not share a frame.</summary>
    public const int FlashFrame = 64 * 1024;

    private static readonly DateTimeOffset s_timestamp = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <returns>The bundle; null when an entry is invalid (the reasons are added to <paramref name="problems"/>).</returns>
    public static byte[]? Write(IReadOnlyList<KfpkgEntry> entries, TaskProblems problems, string? path = null)
    {
        int known = problems.Items.Count;
        var ordered = entries.OrderBy(e => e.Address).ThenBy(e => e.Name, StringComparer.Ordinal).ToList();
        Validate(ordered, path, problems);
        if (problems.Items.Count > known)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in ordered)
            {
                Add(zip, entry.Name, entry.Content);
            }

            Add(zip, "flash-list.json", Encoding.UTF8.GetBytes(FlashList(ordered)));
        }

        return buffer.ToArray();
    }

    public static string FlashList(IReadOnlyList<KfpkgEntry> ordered)
    {
        var b = new StringBuilder("{\n  \"version\": \"0.1.0\",\n  \"files\": [\n");
        for (int i = 0; i < ordered.Count; i++)
        {
            var e = ordered[i];
            b.Append("    {\n      \"address\": ").Append(e.Address.ToString(CultureInfo.InvariantCulture)).Append(",\n");
            b.Append("      \"bin\": ").Append(JsonString(e.Name)).Append(",\n");
            b.Append("      \"sha256Prefix\": ").Append(e.Sha256Prefix ? "true" : "false").Append("\n    }");
            b.Append(i + 1 < ordered.Count ? ",\n" : "\n");
        }

        return b.Append("  ]\n}\n").ToString();
    }

    /// <summary>Bytes kflash writes for an entry (firmware gets a 5-byte prefix and a 32-byte hash).</summary>
    public static long FlashedLength(KfpkgEntry entry) => entry.Content.LongLength + (entry.Sha256Prefix ? 37 : 0);

    private static void Validate(List<KfpkgEntry> ordered, string? path, TaskProblems problems)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "flash-list.json" };
        foreach (var e in ordered)
        {
            if (string.IsNullOrWhiteSpace(e.Name) || e.Name.IndexOfAny(['/', '\\', '"', '\n', '\r']) >= 0 || e.Name.Any(char.IsControl))
            {
                problems.Add(TaskCodes.KfpkgInvalidEntry, $"entry name '{e.Name}' must be a plain file name", path);
            }
            else if (!names.Add(e.Name))
            {
                problems.Add(TaskCodes.KfpkgInvalidEntry, $"entry name '{e.Name}' is used twice", path);
            }

            if (e.Address % 4096 != 0)
            {
                problems.Add(TaskCodes.KfpkgInvalidEntry,
                    $"address {e.Address} of '{e.Name}' is not a multiple of the 4 KiB flash sector", path);
            }

            if (e.Sha256Prefix && e.Address != 0)
            {
                problems.Add(TaskCodes.KfpkgInvalidEntry,
                    $"'{e.Name}' has sha256Prefix (bootable firmware) but is not at address 0", path);
            }
        }

        for (int i = 1; i < ordered.Count; i++)
        {
            var previous = ordered[i - 1];
            long end = previous.Address + RoundUp(FlashedLength(previous), FlashFrame);
            if (ordered[i].Address < end)
            {
                problems.Add(TaskCodes.KfpkgOverlap,
                    $"'{ordered[i].Name}' at {ordered[i].Address} overlaps '{previous.Name}' ({previous.Address}..{end - 1}, flashed in 64 KiB frames)",
                    path);
            }
        }
    }

    private static long RoundUp(long value, long unit) => (value + unit - 1) / unit * unit;

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = s_timestamp;
        using var stream = entry.Open();
        stream.Write(content, 0, content.Length);
    }

    private static string JsonString(string text)
    {
        var b = new StringBuilder("\"");
        foreach (char c in text)
        {
            if (c is '"' or '\\' || c < 0x20 || c > 0x7E)
            {
                b.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                b.Append(c);
            }
        }

        return b.Append('"').ToString();
    }
}
