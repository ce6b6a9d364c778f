using Emc.Diagnostics;

namespace Emc.Cli;

/// <summary>Checks every command makes on its files before any work, so one problem has one code in every command.</summary>
public static class CliFiles
{
    /// <summary>EMC0001 when <paramref name="file"/> (a model or an input; .onnx and .kmodel alike) does not exist;
    /// anything else (a folder, a FIFO) is left to the reader, which says what it is.</summary>
    public static Diagnostic? Missing(FileInfo file, string what) =>
        Emc.IO.SafeFile.KindOf(file.FullName) == Emc.IO.FileKind.Missing
            ? CliDiagnostics.FileNotFound.Create($"{what} not found", file.FullName)
            : null;

    /// <summary>
    /// EMC0004 when <paramref name="path"/> cannot be an output: a FIFO, device or folder, or a path whose folder does
    /// not exist. Checked before a compile, so a bad <c>-o</c> fails at once instead of after the work.
    /// </summary>
    public static Diagnostic? Unwritable(string path)
    {
        if (Emc.IO.SafeFile.ResolveWriteTarget(path, out string? why) is not { } target)
        {
            return CliDiagnostics.OutputWriteFailed.Create(why!, path);
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(target));
        return folder is not null && !Directory.Exists(folder)
            ? CliDiagnostics.OutputWriteFailed.Create($"the folder '{DiagnosticText.Escape(folder)}' does not exist", path)
            : null;
    }
}
