using System.CommandLine;
using System.Globalization;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;

namespace Emc.Cli.Commands;

/// <summary>
/// <c>emc compile model.onnx -o model.kmodel [--dataset DIR|FILE…] [--input-range lo,hi | --mean m[,m,m] --std s[,s,s]]
/// [--channel-order rgb|bgr] [--weight-bits 8|16] [--calibration default|minmax|percentile|mse|kld] [--fully-connected default|cpu|kpu]
/// [--report report.json]</c>.
/// Progress goes to stderr, the report table to stdout; the kmodel is written atomically and only on success.
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
        long? DeviceMemory = null);

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
        var calibration = new Option<string>("--calibration") { Description = "default | minmax | percentile | mse | kld.", DefaultValueFactory = _ => "default" };
        var report = new Option<FileInfo>("--report") { Description = "Write the compile report as JSON here." };
        var fc = new Option<string>("--fully-connected") { Description = "Gemm/MatMul on: default | cpu (float FULLY_CONNECTED) | kpu (4x4 padding trick).", DefaultValueFactory = _ => "default" };
        var deviceMemory = new Option<long?>("--device-memory") { Description = "SRAM bytes the kmodel plus its main memory must fit in (default 6291456, the K210's 6 MiB; 0 = no check)." };
        var command = new Command("compile", "Compile an ONNX model to a K210 kmodel v3, calibrated on a dataset and checked in the simulator.")
        {
            model, output, dataset, range, mean, std, order, bits, calibration, report, fc, deviceMemory,
        };
        command.SetAction(p => Run(
            new Arguments(p.GetValue(model)!, p.GetValue(output)!, p.GetValue(dataset) ?? [], p.GetValue(range), p.GetValue(mean), p.GetValue(std),
                p.GetValue(order) ?? "rgb", p.GetValue(bits), p.GetValue(calibration) ?? "default", p.GetValue(report), p.GetValue(fc) ?? "default",
                p.GetValue(deviceMemory)),
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

        // Refuse a FIFO/device/folder output before spending the compile on it.
        foreach (var output in new[] { args.Output, args.Report })
        {
            if (output is not null && Emc.IO.SafeFile.ResolveWriteTarget(output.FullName, out string? why) is null)
            {
                diagnostics.Add(CliDiagnostics.OutputWriteFailed.Create(why!, output.FullName));
                return CliRunner.Report(diagnostics, stderr);
            }
        }

        var result = KmodelCompiler.Compile(args.Model.FullName, options, message => stderr.WriteLine($"emc compile: {message}"));
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
                WriteAtomically(reportFile.FullName, CompileReportFormat.ToJson(result.Report!));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(CliDiagnostics.OutputWriteFailed.Create(e.Message, args.Output.FullName));
            return CliRunner.Report(diagnostics, stderr);
        }

        stdout.Write(CompileReportFormat.ToTable(result.Report!));
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {args.Output.FullName} ({result.Kmodel!.Length} bytes)"));
        return CliRunner.Report(diagnostics, stderr);
    }

    /// <summary>Writes to a temporary file beside the target, then moves it over the target.</summary>
    /// <remarks>Through a symbolic link to its target; a FIFO, device or folder is refused (IOException).</remarks>
    private static void WriteAtomically(string path, byte[] bytes) => Emc.IO.SafeFile.WriteAtomically(path, bytes);

    private static CompileOptions? ParseOptions(Arguments a, List<Diagnostic> diagnostics)
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
            _ => null,
        };
        if (method is null)
        {
            Bad($"--calibration '{a.Calibration}': expected default, minmax, percentile, mse or kld");
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
            FullyConnected = fullyConnected!.Value,
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
