using System.Globalization;
using Emc.Build.Tasks.Files;
using Emc.Build.Tasks.Kfpkg;
using Emc.Build.Tool;
using Microsoft.Build.Framework;

namespace Emc.Build.Tasks;

/// <summary>
/// Bundles kmodels (metadata <c>KfpkgAddress</c>) and an optional firmware image (flashed at 0 with the kflash
/// SHA-256 prefix) into a .kfpkg. Addresses accept decimal or 0x-hex; the JSON always gets decimal.
/// </summary>
public sealed class EmcCreateKfpkg : Microsoft.Build.Utilities.Task
{
    /// <summary>Compiled kmodel files; metadata KfpkgAddress (required) and optional KfpkgName.</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = [];

    /// <summary>Optional firmware .bin flashed at address 0.</summary>
    public ITaskItem? Firmware { get; set; }

    [Required]
    public string OutputFile { get; set; } = "";

    /// <summary>Largest file put in a bundle: the K210's 16 MB of flash.</summary>
    private const long MaxEntryBytes = 16L << 20;

    private static byte[] ReadInput(string path) =>
        InputFiles.TryReadAll(path, MaxEntryBytes, out string? error) ?? throw new IOException($"'{path}' {error}");

    public override bool Execute()
    {
        var problems = new TaskProblems();
        try
        {
            var entries = new List<KfpkgEntry>();
            if (Firmware is not null && Firmware.ItemSpec.Length > 0)
            {
                entries.Add(new KfpkgEntry(Path.GetFileName(Firmware.ItemSpec), 0, ReadInput(Firmware.ItemSpec), true));
            }

            foreach (var file in Files)
            {
                string addressText = file.GetMetadata(ModelMetadata.KfpkgAddress);
                if (!TryParseAddress(addressText, out uint address))
                {
                    problems.Add(TaskCodes.KfpkgInvalidEntry,
                        $"KfpkgAddress '{addressText}' of '{file.ItemSpec}' is not a flash address (decimal or 0x-hex)", file.ItemSpec);
                    continue;
                }

                string name = file.GetMetadata("KfpkgName") is { Length: > 0 } n ? n : Path.GetFileName(file.ItemSpec);
                entries.Add(new KfpkgEntry(name, address, ReadInput(file.ItemSpec), false));
            }

            if (!problems.Any && KfpkgWriter.Write(entries, problems, OutputFile) is { } bytes)
            {
                // The bundle is a target Output: refresh its time even when the bytes are unchanged.
                if (!OutputFiles.WriteIfChanged(OutputFile, bytes))
                {
                    OutputFiles.Touch(OutputFile);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(TaskCodes.OutputWriteFailed, e.Message, OutputFile);
        }
        catch (Exception e)
        {
            problems.Add(TaskCodes.InternalError, e.GetType().Name + ": " + e.Message, OutputFile);
        }

        problems.Log(Log, OutputFile);
        return !Log.HasLoggedErrors;
    }

    internal static bool TryParseAddress(string text, out uint address)
    {
        text = text.Trim();
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out address);
    }
}
