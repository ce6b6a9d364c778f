using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Diagnostics;
using Emc.Kmodel;

namespace Emc.Cli.Commands;

/// <summary>
/// <c>emc eval model.onnx --images DIR [--labels FILE] [--class-names FILE] [--kmodel m.kmodel] [compile options]
/// [--max N] [--worst N] [--json]</c>: top-1 / top-5 of the float model and of the kmodel (bit-exact simulator) on a
/// labelled image set, how often their top-1 agree, and the classes the kmodel gets wrong most often with what it
/// mistook them for. Without <c>--kmodel</c> the model is compiled first, calibrated on the same images.
/// </summary>
public static class EvalCommand
{
    public sealed record Arguments(
        FileInfo Model,
        DirectoryInfo Images,
        FileInfo? Labels = null,
        FileInfo? ClassNames = null,
        FileInfo? Kmodel = null,
        string? InputRange = null,
        string? Mean = null,
        string? Std = null,
        string ChannelOrder = "rgb",
        int WeightBits = 8,
        string Calibration = "default",
        string FullyConnected = "default",
        int Max = 0,
        int Worst = 5,
        bool Json = false,
        bool? Progress = null,
        string ActivationRanges = "tensor");

    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx model (the float reference)." };
        var images = new Option<DirectoryInfo>("--images", "-i") { Description = "Labelled images: one sub-folder per class (or any layout with --labels).", Required = true };
        var labels = new Option<FileInfo>("--labels") { Description = "Labels file: lines '<image path relative to --images> <class index or name>'." };
        var names = new Option<FileInfo>("--class-names") { Description = "Class names, one per line; line i is class i (maps folder names to indices)." };
        var kmodel = new Option<FileInfo>("--kmodel", "-k") { Description = "The compiled kmodel; without it the model is compiled, calibrated on the images." };
        var range = new Option<string>("--input-range") { Description = "Real range of the uint8 input 0..255, e.g. -1,1 (default 0,1)." };
        var mean = new Option<string>("--mean") { Description = "Mean of (pixel/255 − mean)/std." };
        var std = new Option<string>("--std") { Description = "Std of (pixel/255 − mean)/std." };
        var order = new Option<string>("--channel-order") { Description = "rgb (default) or bgr.", DefaultValueFactory = _ => "rgb" };
        var bits = new Option<int>("--weight-bits") { Description = "When compiling: 8 (default) or 16.", DefaultValueFactory = _ => 8 };
        var calibration = new Option<string>("--calibration") { Description = "When compiling: default | minmax | percentile | mse | kld | consumer.", DefaultValueFactory = _ => "default" };
        var ranges = new Option<string>("--activation-ranges") { Description = "When compiling: tensor (default) | channel.", DefaultValueFactory = _ => "tensor" };
        var fc = new Option<string>("--fully-connected") { Description = "When compiling: default | cpu | kpu.", DefaultValueFactory = _ => "default" };
        var max = new Option<int>("--max") { Description = "Evaluate at most this many images (0 = all).", DefaultValueFactory = _ => 0 };
        var worst = new Option<int>("--worst") { Description = "How many of the worst classes to list (default 5).", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("eval", "Top-1/top-5 of the float model and of the simulated kmodel on a labelled image folder, their agreement and the worst classes.")
        {
            model, images, labels, names, kmodel, range, mean, std, order, bits, calibration, ranges, fc, max, worst, json,
        };
        command.SetAction(p => Run(
            new Arguments(p.GetValue(model)!, p.GetValue(images)!, p.GetValue(labels), p.GetValue(names), p.GetValue(kmodel), p.GetValue(range), p.GetValue(mean), p.GetValue(std),
                p.GetValue(order) ?? "rgb", p.GetValue(bits), p.GetValue(calibration) ?? "default", p.GetValue(fc) ?? "default", p.GetValue(max), p.GetValue(worst), p.GetValue(json),
                ActivationRanges: p.GetValue(ranges) ?? "tensor"),
            Console.Out,
            Console.Error));
        return command;
    }

    public static int Run(Arguments args, TextWriter stdout, TextWriter stderr)
    {
        var diagnostics = new List<Diagnostic>();
        foreach (var f in new FileSystemInfo?[] { args.Model, args.Images, args.Labels, args.ClassNames, args.Kmodel })
        {
            if (f is not null && !f.Exists)
            {
                diagnostics.Add(CliDiagnostics.FileNotFound.Create($"{f.FullName} not found", f.FullName));
            }
        }

        if (diagnostics.Count > 0)
        {
            return CliRunner.Report(diagnostics, stderr);
        }

        string[]? classNames = args.ClassNames is null ? null : File.ReadAllLines(args.ClassNames.FullName).Select(l => l.Trim()).ToArray();
        var samples = args.Labels is null ? FromFolders(args.Images, classNames, diagnostics) : FromLabelsFile(args.Images, args.Labels, classNames, diagnostics);
        if (samples.Count == 0 && diagnostics.Count == 0)
        {
            diagnostics.Add(CliDiagnostics.InvalidOption.Create("no labelled image found (expected one sub-folder per class, or --labels)", args.Images.FullName));
        }

        var compileArgs = new CompileCommand.Arguments(args.Model, new FileInfo("unused.kmodel"), [args.Images.FullName], args.InputRange, args.Mean, args.Std,
            args.ChannelOrder, args.WeightBits, args.Calibration, null, args.FullyConnected, ActivationRanges: args.ActivationRanges);
        var options = CompileCommand.ParseOptions(compileArgs, diagnostics);
        if (options is null || diagnostics.Any(d => d.IsError))
        {
            return CliRunner.Report(diagnostics, stderr);
        }

        if (args.Max > 0 && samples.Count > args.Max)
        {
            // An even spread over the (sorted) list, so a limit still covers every class.
            samples = Enumerable.Range(0, args.Max).Select(i => samples[(int)((long)i * samples.Count / args.Max)]).ToList();
        }

        var graph = OnnxImporter.Import(args.Model.FullName);
        diagnostics.AddRange(graph.Diagnostics);
        if (graph.Value is null)
        {
            return CliRunner.Report(diagnostics, stderr);
        }

        using var progress = ConsoleProgress.Create("emc eval", stderr, args.Progress);
        KmodelFile? kmodel;
        if (args.Kmodel is not null)
        {
            var read = KmodelReader.ReadFile(args.Kmodel.FullName);
            diagnostics.AddRange(read.Diagnostics);
            kmodel = read.Value;
        }
        else
        {
            var compiled = KmodelCompiler.Compile(graph.Value, options, progress.Report);
            diagnostics.AddRange(compiled.Diagnostics);
            kmodel = compiled.Kmodel is null ? null : KmodelReader.Read(compiled.Kmodel).Value;
        }

        if (kmodel is null)
        {
            progress.Done();
            return CliRunner.Report(diagnostics, stderr);
        }

        string Name(int label) => classNames is not null && label >= 0 && label < classNames.Length && classNames[label].Length > 0
            ? $"{label} ({classNames[label]})"
            : label.ToString(CultureInfo.InvariantCulture);
        var result = ClassificationEvaluator.Evaluate(graph.Value, kmodel, options, samples, Name, progress.Report);
        progress.Done();
        diagnostics.AddRange(result.Diagnostics);
        if (result.Value is null)
        {
            return CliRunner.Report(diagnostics, stderr);
        }

        if (args.Json)
        {
            WriteJson(result.Value, args.Worst, stdout);
        }
        else
        {
            WriteText(result.Value, args.Worst, stdout);
        }

        return CliRunner.Report(diagnostics, stderr);
    }

    private static List<LabelledSample> FromFolders(DirectoryInfo root, string[]? classNames, List<Diagnostic> diagnostics)
    {
        var folders = root.GetDirectories().Where(d => !d.Name.StartsWith('.')).OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        bool allNumeric = folders.Count > 0 && folders.All(d => int.TryParse(d.Name, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        var samples = new List<LabelledSample>();
        for (int i = 0; i < folders.Count; i++)
        {
            var d = folders[i];
            int label = -1;
            if (classNames is not null)
            {
                label = Array.IndexOf(classNames, d.Name);
                if (label < 0)
                {
                    label = Array.FindIndex(classNames, n => string.Equals(n, d.Name, StringComparison.OrdinalIgnoreCase));
                }
            }

            if (label < 0 && int.TryParse(d.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            {
                label = n;
            }

            if (label < 0 && classNames is null && !allNumeric)
            {
                label = i;
            }

            if (label < 0)
            {
                diagnostics.Add(CliDiagnostics.InvalidOption.Create($"class folder '{d.Name}' is neither a class index nor a name in --class-names", d.FullName));
                continue;
            }

            samples.AddRange(d.EnumerateFiles("*", SearchOption.AllDirectories).Where(IsSample).OrderBy(f => f.FullName, StringComparer.Ordinal)
                .Select(f => new LabelledSample(f.FullName, label)));
        }

        return samples;
    }

    private static List<LabelledSample> FromLabelsFile(DirectoryInfo root, FileInfo labels, string[]? classNames, List<Diagnostic> diagnostics)
    {
        var samples = new List<LabelledSample>();
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(labels.FullName))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int split = line.LastIndexOfAny([' ', '\t', ',']);
            string path = split > 0 ? line[..split].Trim() : "";
            string label = split > 0 ? line[(split + 1)..].Trim() : "";
            int index = int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : classNames is null ? -1 : Array.IndexOf(classNames, label);
            string full = Path.GetFullPath(Path.Combine(root.FullName, path));
            if (path.Length == 0 || index < 0)
            {
                diagnostics.Add(CliDiagnostics.InvalidOption.Create(
                    string.Create(CultureInfo.InvariantCulture, $"{labels.Name} line {lineNumber}: expected '<image path> <class index or name from --class-names>'"), labels.FullName));
            }
            else if (!File.Exists(full))
            {
                diagnostics.Add(CliDiagnostics.FileNotFound.Create(string.Create(CultureInfo.InvariantCulture, $"{labels.Name} line {lineNumber}: {path} not found"), full));
            }
            else
            {
                samples.Add(new LabelledSample(full, index));
            }
        }

        return samples;
    }

    private static bool IsSample(FileInfo f) => f.Extension.ToLowerInvariant() is ".bmp" or ".png" or ".jpg" or ".jpeg" or ".npy" or ".pb";

    private static IEnumerable<ClassEvaluation> Worst(ClassificationEvaluation e, int count) =>
        e.Classes.Where(c => c.KmodelTop1 < c.Samples).OrderBy(c => c.KmodelAccuracy).ThenByDescending(c => c.Samples).ThenBy(c => c.Label).Take(Math.Max(0, count));

    private static void WriteText(ClassificationEvaluation e, int worst, TextWriter o)
    {
        var ic = CultureInfo.InvariantCulture;
        string P(int n) => (100 * ClassificationEvaluation.Rate(n, e.Samples)).ToString("F1", ic) + "%";
        o.WriteLine(string.Create(ic, $"eval: {e.Samples} images, {e.Classes.Count} classes{(e.Skipped.Count > 0 ? $", {e.Skipped.Count} skipped (unreadable)" : "")}"));
        o.WriteLine("                     top-1     top-5");
        o.WriteLine($"float model       {P(e.FloatTop1),8}  {P(e.FloatTop5),8}");
        o.WriteLine($"kmodel (simulated){P(e.KmodelTop1),8}  {P(e.KmodelTop5),8}");
        o.WriteLine($"top-1 agreement   {P(e.Top1Agreement),8}  (kmodel and float model choose the same class)");
        var list = Worst(e, worst).ToList();
        if (list.Count == 0)
        {
            o.WriteLine("worst classes: none (the kmodel's top-1 is right on every image)");
            return;
        }

        o.WriteLine("worst classes (kmodel top-1):");
        o.WriteLine($"  {"class",-24} {"images",6} {"float",7} {"kmodel",7}  mistaken for");
        foreach (var c in list)
        {
            string confusions = string.Join(", ", c.KmodelConfusions.Take(3).Select(x => string.Create(ic, $"{x.Predicted} ×{x.Count}")));
            o.WriteLine(string.Create(ic, $"  {c.Name,-24} {c.Samples,6} {100 * c.FloatAccuracy,6:F1}% {100 * c.KmodelAccuracy,6:F1}%  {confusions}"));
        }
    }

    private static void WriteJson(ClassificationEvaluation e, int worst, TextWriter o)
    {
        var value = new
        {
            images = e.Samples,
            classes = e.Classes.Count,
            floatModel = new { top1 = ClassificationEvaluation.Rate(e.FloatTop1, e.Samples), top5 = ClassificationEvaluation.Rate(e.FloatTop5, e.Samples) },
            kmodel = new { top1 = ClassificationEvaluation.Rate(e.KmodelTop1, e.Samples), top5 = ClassificationEvaluation.Rate(e.KmodelTop5, e.Samples) },
            top1Agreement = ClassificationEvaluation.Rate(e.Top1Agreement, e.Samples),
            worstClasses = Worst(e, worst).Select(c => new
            {
                label = c.Label,
                name = c.Name,
                images = c.Samples,
                floatTop1 = c.FloatAccuracy,
                kmodelTop1 = c.KmodelAccuracy,
                mistakenFor = c.KmodelConfusions.Select(x => new { label = x.Predicted, count = x.Count }),
            }),
            skipped = e.Skipped,
        };
        o.WriteLine(JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true }));
    }
}
