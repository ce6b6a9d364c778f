using Emc.Build.Tasks.Files;
using Emc.Build.Tool;
using Emc.Compiler.CodeGen;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tasks;

/// <summary>
/// First step of every build (and design-time build): validates EmcModel metadata, computes each model's output
/// paths under <see cref="OutputDirectory"/>, expands its dataset into files, writes its options stamp (only when
/// the text changes, so unchanged options keep the model up to date) and forgets the "compiled" marker of a model
/// whose outputs are incomplete (deleted by hand, failed build) so the next compile retries it.
/// </summary>
public sealed class EmcResolveModels : Microsoft.Build.Utilities.Task
{
    /// <summary>
    /// Header names a generated &lt;id&gt;.h must not take: the output folder is on the include path, so
    /// <c>stdint.onnx</c> → <c>stdint.h</c> would shadow &lt;stdint.h&gt; (which the generated headers include)
    /// for the whole C project. C standard headers, common POSIX ones and the K210 SDK's.
    /// </summary>
    private static readonly HashSet<string> s_reservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "assert", "complex", "ctype", "errno", "fenv", "float", "inttypes", "iso646", "limits", "locale", "math",
        "setjmp", "signal", "stdalign", "stdarg", "stdatomic", "stdbit", "stdbool", "stdckdint", "stddef", "stdint",
        "stdio", "stdlib", "stdnoreturn", "string", "tgmath", "threads", "time", "uchar", "wchar", "wctype",
        "alloca", "fcntl", "malloc", "memory", "pthread", "strings", "unistd", "endian", "dirent", "sched", "semaphore",
        "kpu", "dmac", "sysctl", "fpioa", "plic", "uarths", "bsp", "platform", "sleep", "encoding", "entry", "gpio",
        "gpiohs", "i2c", "spi", "uart", "dvp", "fft", "aes", "sha256", "timer", "pwm", "rtc", "wdt", "i2s", "io",
        "atomic", "utils", "syscalls", "printf", "board_config", "lcd", "nt35310", "w25qxx", "ov2640", "ov5640",
    };

    private static readonly string[] s_datasetExtensions = [".png", ".bmp", ".jpg", ".jpeg", ".npy", ".pb"];

    [Required]
    public ITaskItem[] Models { get; set; } = [];

    /// <summary>Full path of the folder for generated files ($(IntermediateOutputPath)emc/).</summary>
    [Required]
    public string OutputDirectory { get; set; } = "";

    [Required]
    public string ProjectDirectory { get; set; } = "";

    /// <summary>The project file: where metadata errors point.</summary>
    public string ProjectFile { get; set; } = "";

    /// <summary>Default namespace of generated C# ($(RootNamespace)).</summary>
    public string DefaultNamespace { get; set; } = "";

    /// <summary>
    /// The output manifest (emc.outputs): every options stamp written here is added to it at once, so clean and
    /// stale-output pruning also remove the stamps of items that then fail validation.
    /// </summary>
    public string Manifest { get; set; } = "";

    /// <summary>False when the project's LangVersion has no u8 literals (8–10): wrappers use an ordinary string.</summary>
    public bool CSharpUtf8Literals { get; set; } = true;

    [Output]
    public ITaskItem[] ResolvedModels { get; private set; } = [];

    /// <summary>Every file the current items will produce (manifest of the stale-output pruning).</summary>
    [Output]
    public ITaskItem[] ExpectedOutputs { get; private set; } = [];

    public override bool Execute()
    {
        var problems = new TaskProblems();
        try
        {
            Resolve(problems);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problems.Add(TaskCodes.OutputWriteFailed, e.Message, ProjectFile);
        }
        catch (Exception e)
        {
            problems.Add(TaskCodes.InternalError, e.GetType().Name + ": " + e.Message, ProjectFile);
        }

        problems.Log(Log);
        return !Log.HasLoggedErrors;
    }

    private void Resolve(TaskProblems problems)
    {
        string outputDirectory = Path.GetFullPath(OutputDirectory);
        var resolved = new List<ITaskItem>();
        var expected = new List<ITaskItem>();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var classes = new Dictionary<string, string>(StringComparer.Ordinal);
        var stamps = new List<string>();
        foreach (var model in Models)
        {
            string fullPath = model.GetMetadata("FullPath");
            if (!File.Exists(fullPath))
            {
                problems.Add(TaskCodes.ModelFileMissing, $"EmcModel '{model.ItemSpec}' does not exist", ProjectFile);
                continue;
            }

            string fileName = Path.GetFileNameWithoutExtension(fullPath);
            string outputName = model.GetMetadata(ModelMetadata.OutputName);
            string id = CodeIdentifiers.Sanitize(outputName.Length > 0 ? outputName : fileName);
            if (names.TryGetValue(id, out string? other))
            {
                problems.Add(TaskCodes.DuplicateOutputName,
                    $"EmcModel '{model.ItemSpec}' and '{other}' both produce '{id}'; set OutputName on one of them", ProjectFile);
                continue;
            }

            names.Add(id, model.ItemSpec);
            if (ModelSwitches.Flag(model.AsModel(), ModelMetadata.GenerateCHeader, true) && s_reservedHeaders.Contains(id))
            {
                problems.Add(TaskCodes.ReservedHeaderName,
                    $"EmcModel '{model.ItemSpec}' would generate '{id}.h', which shadows the system or SDK header <{id}.h> on the include path; set OutputName (e.g. '{id}_model')", ProjectFile);
                continue;
            }

            var item = new TaskItem(fullPath);
            model.CopyMetadataTo(item);
            var datasetFiles = ResolveDataset(model, problems);
            string className = model.GetMetadata(ModelMetadata.ClassName);
            string ns = model.GetMetadata(ModelMetadata.Namespace);
            item.SetMetadata(ModelMetadata.OutputName, id);
            item.SetMetadata(ModelMetadata.SourceItem, model.ItemSpec);
            item.SetMetadata(ModelMetadata.CSharpUtf8Literal, CSharpUtf8Literals ? "" : "false");
            item.SetMetadata(ModelMetadata.ClassName, CodeIdentifiers.Sanitize(className.Length > 0 ? className : PascalCase(id)));
            item.SetMetadata(ModelMetadata.Namespace, CodeIdentifiers.SanitizeNamespace(ns.Length > 0 ? ns : DefaultNamespace));
            if (ModelSwitches.Flag(model.AsModel(), ModelMetadata.GenerateCSharp, false))
            {
                // my-net.onnx and MyNet.onnx have different file names but the same class: report it here, not as CS0102.
                string fullClass = item.GetMetadata(ModelMetadata.Namespace) + "." + item.GetMetadata(ModelMetadata.ClassName);
                if (classes.TryGetValue(fullClass, out string? first))
                {
                    problems.Add(TaskCodes.DuplicateClassName,
                        $"EmcModel '{model.ItemSpec}' and '{first}' both generate the C# class '{fullClass}'; set ClassName or OutputName on one of them", ProjectFile);
                    continue;
                }

                classes.Add(fullClass, model.ItemSpec);
            }

            string basePath = Path.Combine(outputDirectory, id);
            item.SetMetadata(ModelMetadata.KmodelFile, basePath + ".kmodel");
            item.SetMetadata(ModelMetadata.HeaderFile, basePath + ".h");
            item.SetMetadata(ModelMetadata.CSharpFile, basePath + ".g.cs");
            item.SetMetadata(ModelMetadata.ReportFile, basePath + (ModelSwitches.ReportIsHtml(item.AsModel()) ? ".report.html" : ".report.json"));
            item.SetMetadata(ModelMetadata.OptionsFile, basePath + ".options");
            item.SetMetadata(ModelMetadata.MarkerFile, basePath + ".compiled");
            item.SetMetadata(ModelMetadata.DiagnosticsFile, basePath + ".diagnostics");
            item.SetMetadata(ModelMetadata.DatasetFiles, string.Join(";", datasetFiles));
            if (ModelSwitches.Flag(model.AsModel(), ModelMetadata.EmbedAsResource, false))
            {
                item.SetMetadata(ModelMetadata.ResourceName, "Emc.Models." + id + ".kmodel");
            }

            OutputMetadataValidator.Validate(model, ProjectFile.Length > 0 ? ProjectFile : fullPath, problems);
            var optionProblems = new List<string>();
            string optionsText = ModelOptionValues.Parse(item.AsModel(), datasetFiles, optionProblems).Canonical(item.AsModel());
            foreach (string problem in optionProblems)
            {
                problems.Add(TaskCodes.InvalidMetadata, problem, ProjectFile.Length > 0 ? ProjectFile : fullPath);
            }

            Directory.CreateDirectory(outputDirectory);
            OutputFiles.WriteIfChanged(basePath + ".options", System.Text.Encoding.UTF8.GetBytes(optionsText));
            stamps.Add(basePath + ".options");

            // Forget the marker when an output is missing or the inputs differ from what the last compile read
            // (saved during that compile, or replaced by a file with an older timestamp).
            var outputs = OutputsOf(item);
            if (File.Exists(basePath + ".compiled") && (outputs.Any(path => !File.Exists(path)) || !InputStamp.Matches(basePath + ".compiled", item.AsModel())))
            {
                File.Delete(basePath + ".compiled");
            }

            resolved.Add(item);
            expected.AddRange(outputs.Append(basePath + ".options").Append(basePath + ".compiled").Select(p => new TaskItem(p)));
        }

        ManifestFile.Include(Manifest, stamps);
        ResolvedModels = [.. resolved];
        ExpectedOutputs = [.. expected];
    }

    /// <summary>The generated files a resolved model must have once compiled.</summary>
    internal static List<string> OutputsOf(ITaskItem item)
    {
        var outputs = new List<string> { item.GetMetadata(ModelMetadata.KmodelFile), item.GetMetadata(ModelMetadata.DiagnosticsFile) };
        if (ModelSwitches.Flag(item.AsModel(), ModelMetadata.GenerateCHeader, true))
        {
            outputs.Add(item.GetMetadata(ModelMetadata.HeaderFile));
        }

        if (ModelSwitches.Flag(item.AsModel(), ModelMetadata.GenerateCSharp, false))
        {
            outputs.Add(item.GetMetadata(ModelMetadata.CSharpFile));
        }

        if (ModelSwitches.WritesReport(item.AsModel()))
        {
            outputs.Add(item.GetMetadata(ModelMetadata.ReportFile));
        }

        return outputs;
    }

    private List<string> ResolveDataset(ITaskItem model, TaskProblems problems)
    {
        var files = new List<string>();
        bool missing = false;
        foreach (string entry in model.GetMetadata(ModelMetadata.Dataset).Split(';', '|').Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            string path = Path.GetFullPath(Path.Combine(ProjectDirectory, entry));
            if (Directory.Exists(path))
            {
                // Regular files only, folder links not followed: same listing as the compiler's DatasetLoader.
                files.AddRange(InputFiles.EnumerateRegularFiles(path,
                    f => s_datasetExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase)));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                missing = true;
                problems.Add(TaskCodes.DatasetMissing,
                    $"EmcModel '{model.ItemSpec}': Dataset '{entry}' does not exist", ProjectFile);
            }
        }

        if (files.Count == 0 && model.GetMetadata(ModelMetadata.Dataset).Trim().Length > 0 && !missing)
        {
            // Given but empty: never fall back to random calibration data silently (the compiler would, with EMC0602).
            problems.Add(TaskCodes.DatasetFile,
                $"EmcModel '{model.ItemSpec}': Dataset '{model.GetMetadata(ModelMetadata.Dataset)}' holds no usable sample ({string.Join(" ", s_datasetExtensions)}); add samples or remove the Dataset metadata", ProjectFile);
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static string PascalCase(string identifier)
    {
        var parts = identifier.Split(['_'], StringSplitOptions.RemoveEmptyEntries)
            .Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1));
        return string.Concat(parts);
    }
}
