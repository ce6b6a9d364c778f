using System.CommandLine;
using System.Globalization;
using Emc.Compiler.Compilation;
using Emc.Compiler.Passes;
using Emc.Diagnostics;

namespace Emc.Cli.Commands;

/// <summary>
/// <c>emc compile model.onnx -o model.kmodel [--dataset DIR|FILE…] [--input-range lo,hi | --mean m[,m,m] --std s[,s,s]]
/// [--channel-order rgb|bgr] [--weight-bits 8|16] [--calibration default|minmax|percentile|mse|kld] [--activation-ranges tensor|channel] [--weight-rounding nearest|feedback] [--fine-activations PERCENT]
/// [--fully-connected default|cpu|kpu]
/// [--report report.json|report.html] [--input-shape NAME=d0,d1,…] [--outputs t1,t2 | --tail auto] [--verbose]</c>.
/// Progress goes to stderr only when it is a terminal, the report table to stdout; the kmodel is written atomically and only on success.
/// </summary>
public static class CompileCommand
{
    /// <summary>Compile settings as given on the command line (strings are parsed by <see cref="Run"/>).</summary>
    public sealed record Arguments(
        FileInfo Model,
        FileInfo Output,
        IReadOnlyList<string> Dataset,
        string? InputRange = null,
        string? Mean = null,
        string? Std = null,
        string ChannelOrder = "rgb",
        int WeightBits = 8,
        string Calibration = "default",
        FileInfo? Report = null,
        string FullyConnected = "default",
        bool Verbose = false,
        IReadOnlyList<string>? InputShapes = null,
        IReadOnlyList<string>? Outputs = null,
        string Tail = "none",
        bool? Progress = null,
        long? DeviceMemory = null,
        string ActivationRanges = "tensor",
        string WeightRounding = "nearest",
        int FineActivations = 0);

    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "The .onnx model." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The .kmodel to write.", Required = true };
        var dataset = new Option<string[]>("--dataset", "-d") { Description = "Calibration folders or files (images, .npy, .pb).", AllowMultipleArgumentsPerToken = true };
        var range = new Option<string>("--input-range") { Description = "Real range of the uint8 input 0..255, e.g. -1,1 (default 0,1)." };
        var mean = new Option<string>("--mean") { Description = "Mean of (pixel/255 − mean)/std: one value or one per channel." };
        var std = new Option<string>("--std") { Description = "Std of (pixel/255 − mean)/std: one value or one per channel." };
        var order = new Option<string>("--channel-order") { Description = "rgb (default) or bgr planes on the device.", DefaultValueFactory = _ => "rgb" };
        var bits = new Option<int>("--weight-bits") { Description = "KPU weight width: 8 (default) or 16.", DefaultValueFactory = _ => 8 };
        var calibration = new Option<string>("--calibration") { Description = "default | minmax | percentile | mse | kld | consumer.", DefaultValueFactory = _ => "default" };
        var ranges = new Option<string>("--activation-ranges")
        {
            Description = "tensor (default) | channel: a scale per channel where every reader can take it (finer, if the dataset is representative).",
            DefaultValueFactory = _ => "tensor",
        };
        var rounding = new Option<string>("--weight-rounding")
        {
            Description = "nearest (default) | feedback: round KPU conv weights against the calibration inputs (error feedback, GPTQ-style).",
            DefaultValueFactory = _ => "nearest",
        };
        var fine = new Option<int>("--fine-activations")
        {
            Description = "Percent of the model's KPU multiply-adds to spend on finer early activations: bounded ReLU outputs (ReLU6) from the input on carried in two uint8 pieces, 4x less rounding noise (default 0: none).",
            DefaultValueFactory = _ => 0,
        };
        var report = new Option<FileInfo>("--report") { Description = "Write the compile report here: .html → a self-contained page (charts, layer table), anything else → JSON." };
        var fc = new Option<string>("--fully-connected") { Description = "Gemm/MatMul on: default | cpu (float FULLY_CONNECTED) | kpu (4x4 padding trick).", DefaultValueFactory = _ => "default" };
        var inputShape = new Option<string[]>("--input-shape") { Description = "Static shape of a graph input with dynamic dimensions: NAME=1,3,240,320 (or 1,3,240,320 for the only input); repeatable.", AllowMultipleArgumentsPerToken = true };
        var outputs = new Option<string[]>("--outputs") { Description = "Compile up to these tensors (comma-separated names); they become the kmodel's outputs.", AllowMultipleArgumentsPerToken = true };
        var tail = new Option<string>("--tail") { Description = "none (default) | auto: when only a tail of the graph cannot run on the device, compile up to where it starts.", DefaultValueFactory = _ => "none" };
        var deviceMemory = new Option<long?>("--device-memory") { Description = "SRAM bytes the kmodel plus its main memory must fit in (default 6291456, the K210's 6 MiB; 0 = no check)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Also print the compiler's passes in order, with how often each applied." };
        var command = new Command("compile", "Compile an ONNX model to a K210 kmodel v3, calibrated on a dataset and checked in the simulator.")
        {
            model, output, dataset, range, mean, std, order, bits, calibration, ranges, rounding, fine, report, fc, inputShape, outputs, tail, deviceMemory, verbose,
        };
        command.SetAction(p => Run(
            new Arguments(p.GetValue(model)!, p.GetValue(output)!, p.GetValue(dataset) ?? [], p.GetValue(range), p.GetValue(mean), p.GetValue(std),
                p.GetValue(order) ?? "rgb", p.GetValue(bits), p.GetValue(calibration) ?? "default", p.GetValue(report), p.GetValue(fc) ?? "default", p.GetValue(verbose),
                p.GetValue(inputShape), p.GetValue(outputs), p.GetValue(tail) ?? "none", DeviceMemory: p.GetValue(deviceMemory),
                ActivationRanges: p.GetValue(ranges) ?? "tensor", WeightRounding: p.GetValue(rounding) ?? "nearest", FineActivations: p.GetValue(fine)),
            Console.Out,
            Console.Error));
        return command;
    }

    public static int Run(Arguments args, TextWriter stdout, TextWriter stderr)
    {
        var diagnostics = new List<Diagnostic>();
        var options = ParseOptions(args, diagnostics);
        if (options is null)
        {
            return CliRunner.Report(diagnostics, stderr);
        }

        if (CliFiles.Missing(args.Model, "model file") is { } missing)
        {
            return CliRunner.Report([missing], stderr);
        }

        // Refuse a FIFO/device/folder output, or one in a folder that does not exist, before spending the compile on it.
        foreach (var output in new[] { args.Output, args.Report })
        {
            if (output is not null && CliFiles.Unwritable(output.FullName) is { } unwritable)
            {
                diagnostics.Add(unwritable);
                return CliRunner.Report(diagnostics, stderr);
            }
        }

        using var progress = ConsoleProgress.Create("emc compile", stderr, args.Progress);
        var result = KmodelCompiler.Compile(args.Model.FullName, options, progress.Report);
        progress.Done();
        diagnostics.AddRange(result.Diagnostics);
        if (!result.Succeeded)
        {
            return CliRunner.Report(diagnostics, stderr);
        }

        try
        {
            WriteAtomically(args.Output.FullName, result.Kmodel!);
            if (args.Report is { } reportFile)
            {
                WriteAtomically(reportFile.FullName, CompileReportFormat.ForPath(result.Report!, reportFile.FullName));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(CliDiagnostics.OutputWriteFailed.Create(e.Message, args.Output.FullName));
            return CliRunner.Report(diagnostics, stderr);
        }

        stdout.Write(CompileReportFormat.ToTable(result.Report!));
        if (args.Verbose)
        {
            stdout.WriteLine("passes (times applied, name, what it does):");
            stdout.Write(CompilerPipeline.Describe(result.Report!.Passes));
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {args.Output.FullName} ({result.Kmodel!.Length} bytes)"));
        return CliRunner.Report(diagnostics, stderr);
    }

    /// <summary>Writes to a temporary file beside the target, then moves it over the target.</summary>
    /// <remarks>Through a symbolic link to its target; a FIFO, device or folder is refused (IOException).</remarks>
    internal static void WriteAtomically(string path, byte[] bytes) => Emc.IO.SafeFile.WriteAtomically(path, bytes);

    internal static CompileOptions? ParseOptions(Arguments a, List<Diagnostic> diagnostics)
    {
        string path = a.Model.FullName;
        void Bad(string message) => diagnostics.Add(CliDiagnostics.InvalidOption.Create(message, path));

        (float, float)? range = null;
        if (a.InputRange is { } r)
        {
            var v = Floats(r);
            if (v is not { Count: 2 })
            {
                Bad($"--input-range '{r}': expected two numbers 'low,high'");
            }
            else
            {
                range = (v[0], v[1]);
            }
        }

        List<float>? mean = null, std = null;
        if (a.Mean is { } m && (mean = Floats(m)) is null)
        {
            Bad($"--mean '{m}': expected one or more comma-separated numbers");
        }

        if (a.Std is { } s && (std = Floats(s)) is null)
        {
            Bad($"--std '{s}': expected one or more comma-separated numbers");
        }

        var order = a.ChannelOrder.ToLowerInvariant() switch
        {
            "rgb" => (ChannelOrder?)ChannelOrder.Rgb,
            "bgr" => ChannelOrder.Bgr,
            _ => null,
        };
        if (order is null)
        {
            Bad($"--channel-order '{a.ChannelOrder}': expected rgb or bgr");
        }

        var method = a.Calibration.ToLowerInvariant() switch
        {
            "default" => (CalibrationMethod?)CalibrationMethod.Default,
            "minmax" => CalibrationMethod.MinMax,
            "percentile" => CalibrationMethod.Percentile,
            "mse" => CalibrationMethod.Mse,
            "kld" or "kl" => CalibrationMethod.Kld,
            "consumer" => CalibrationMethod.Consumer,
            _ => null,
        };
        if (method is null)
        {
            Bad($"--calibration '{a.Calibration}': expected default, minmax, percentile, mse, kld or consumer");
        }

        var activationRanges = a.ActivationRanges.ToLowerInvariant() switch
        {
            "tensor" => (ActivationRanges?)ActivationRanges.PerTensor,
            "channel" => ActivationRanges.PerChannel,
            _ => null,
        };
        if (activationRanges is null)
        {
            Bad($"--activation-ranges '{a.ActivationRanges}': expected tensor or channel");
        }

        var weightRounding = a.WeightRounding.ToLowerInvariant() switch
        {
            "nearest" => (WeightRounding?)WeightRounding.Nearest,
            "feedback" => WeightRounding.ErrorFeedback,
            _ => null,
        };
        if (weightRounding is null)
        {
            Bad($"--weight-rounding '{a.WeightRounding}': expected nearest or feedback");
        }

        if (a.FineActivations is < 0 or > 1000)
        {
            Bad($"--fine-activations {a.FineActivations}: expected a percentage from 0 to 1000");
        }

        var fullyConnected = a.FullyConnected.ToLowerInvariant() switch
        {
            "default" => (FullyConnectedTarget?)FullyConnectedTarget.Default,
            "cpu" => FullyConnectedTarget.Cpu,
            "kpu" => FullyConnectedTarget.Kpu,
            _ => null,
        };
        if (fullyConnected is null)
        {
            Bad($"--fully-connected '{a.FullyConnected}': expected default, cpu or kpu");
        }

        Dictionary<string, int[]>? shapes = null;
        if (a.InputShapes is { Count: > 0 } shapeTexts && (shapes = OptionSyntax.ParseInputShapes(shapeTexts, out string? shapeError)) is null)
        {
            Bad($"--input-shape {shapeError}");
        }

        List<string>? outputNames = null;
        if (a.Outputs is { Count: > 0 } outputTexts && (outputNames = OptionSyntax.ParseNames(outputTexts, out string? outputsError)) is null)
        {
            Bad($"--outputs: {outputsError}");
        }

        bool autoTail = a.Tail.ToLowerInvariant() switch
        {
            "auto" => true,
            "none" => false,
            _ => false,
        };
        if (a.Tail.ToLowerInvariant() is not ("auto" or "none"))
        {
            Bad($"--tail '{a.Tail}': expected none or auto");
        }

        if (autoTail && outputNames is not null)
        {
            Bad("--tail auto and --outputs both choose the outputs; give one");
        }

        if (a.WeightBits is not (8 or 16))
        {
            Bad($"--weight-bits {a.WeightBits}: expected 8 or 16");
        }

        if (a.DeviceMemory is < 0)
        {
            Bad($"--device-memory {a.DeviceMemory}: expected a byte count ≥ 0 (0 = no check)");
        }

        if (diagnostics.Count > 0)
        {
            return null;
        }

        return new CompileOptions
        {
            Dataset = a.Dataset,
            InputRange = range,
            Mean = mean,
            Std = std,
            ChannelOrder = order!.Value,
            WeightBits = a.WeightBits,
            Calibration = method!.Value,
            ActivationRanges = activationRanges!.Value,
            WeightRounding = weightRounding!.Value,
            FineActivationsPercent = a.FineActivations,
            FullyConnected = fullyConnected!.Value,
            InputShapes = shapes,
            Outputs = outputNames,
            AutoTail = autoTail,
            DeviceMemoryBytes = a.DeviceMemory ?? CompileOptions.K210DeviceMemoryBytes,
        };
    }

    private static List<float>? Floats(string text)
    {
        var result = new List<float>();
        foreach (string part in text.Split(','))
        {
            if (!float.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
            {
                return null;
            }

            result.Add(v);
        }

        return result;
    }
}
