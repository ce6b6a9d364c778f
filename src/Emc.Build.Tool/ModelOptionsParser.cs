using System.Globalization;
using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;

namespace Emc.Build.Tool;

/// <summary>Turns EmcModel metadata into <see cref="CompileOptions"/>; every bad value is a coded diagnostic naming it.</summary>
internal static class ModelOptionsParser
{
    public static CompileOptions Parse(IModelItem item, IReadOnlyList<string> datasetFiles, string file, DiagnosticBag diagnostics)
    {
        string model = item.ItemSpec;
        var options = new CompileOptions { Dataset = datasetFiles };

        string range = item.GetMetadata(ModelMetadata.InputRange);
        var mean = Floats(item, ModelMetadata.Mean, model, file, diagnostics);
        var std = Floats(item, ModelMetadata.Std, model, file, diagnostics);
        if (range.Length > 0)
        {
            var values = Floats(item, ModelMetadata.InputRange, model, file, diagnostics);
            if (values is { Count: 2 } && values[0] < values[1])
            {
                options = options with { InputRange = (values[0], values[1]) };
            }
            else if (values is not null)
            {
                Bad(diagnostics, file, model, ModelMetadata.InputRange, range, "two numbers 'low,high' with low < high");
            }

            if (mean is not null || std is not null)
            {
                Bad(diagnostics, file, model, ModelMetadata.InputRange, range, "either InputRange or Mean/Std, not both");
            }
        }

        if ((mean is null) != (std is null))
        {
            Bad(diagnostics, file, model, mean is null ? ModelMetadata.Std : ModelMetadata.Mean, "", "Mean and Std go together");
        }
        else if (mean is not null && std is not null)
        {
            if (mean.Count is not (1 or 3) || std.Count is not (1 or 3) || std.Any(s => s <= 0))
            {
                Bad(diagnostics, file, model, ModelMetadata.Std, item.GetMetadata(ModelMetadata.Std), "1 or 3 values each; Std > 0");
            }
            else
            {
                options = options with { Mean = mean, Std = std };
            }
        }

        string order = item.GetMetadata(ModelMetadata.ChannelOrder);
        if (order.Length > 0)
        {
            if (Enum.TryParse<ChannelOrder>(order, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
            {
                options = options with { ChannelOrder = parsed };
            }
            else
            {
                Bad(diagnostics, file, model, ModelMetadata.ChannelOrder, order, "RGB or BGR");
            }
        }

        string bits = item.GetMetadata(ModelMetadata.WeightBits);
        if (bits.Length > 0)
        {
            if (bits is "8" or "16")
            {
                options = options with { WeightBits = int.Parse(bits, CultureInfo.InvariantCulture) };
            }
            else
            {
                Bad(diagnostics, file, model, ModelMetadata.WeightBits, bits, "8 or 16");
            }
        }

        string calibration = item.GetMetadata(ModelMetadata.Calibration);
        if (calibration.Length > 0)
        {
            if (Enum.TryParse<CalibrationMethod>(calibration, ignoreCase: true, out var method) && Enum.IsDefined(method))
            {
                options = options with { Calibration = method };
            }
            else
            {
                Bad(diagnostics, file, model, ModelMetadata.Calibration, calibration, "Default, MinMax, Percentile, Mse, Kld or Consumer");
            }
        }

        string fullyConnected = item.GetMetadata(ModelMetadata.FullyConnected);
        if (fullyConnected.Length > 0)
        {
            if (Enum.TryParse<FullyConnectedTarget>(fullyConnected, ignoreCase: true, out var target) && Enum.IsDefined(target))
            {
                options = options with { FullyConnected = target };
            }
            else
            {
                Bad(diagnostics, file, model, ModelMetadata.FullyConnected, fullyConnected, "Default, Cpu or Kpu");
            }
        }

        string samples = item.GetMetadata(ModelMetadata.MaxCalibrationSamples);
        if (samples.Length > 0)
        {
            if (int.TryParse(samples, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0)
            {
                options = options with { MaxCalibrationSamples = n };
            }
            else
            {
                Bad(diagnostics, file, model, ModelMetadata.MaxCalibrationSamples, samples, "a positive integer");
            }
        }

        string inputShape = item.GetMetadata(ModelMetadata.InputShape);
        if (inputShape.Length > 0)
        {
            if (OptionSyntax.ParseInputShapes([inputShape], out string? error) is { } shapes)
            {
                options = options with { InputShapes = shapes };
            }
            else
            {
                Bad(diagnostics, file, model, ModelMetadata.InputShape, inputShape, "NAME=d0,d1,… entries separated by ';' (or d0,d1,… for the only input); " + error);
            }
        }

        string outputs = item.GetMetadata(ModelMetadata.Outputs);
        if (outputs.Length > 0)
        {
            if (OptionSyntax.ParseNames([outputs], out _) is { } names)
            {
                options = options with { Outputs = names };
            }
            else
            {
                Bad(diagnostics, file, model, ModelMetadata.Outputs, outputs, "comma-separated tensor names");
            }
        }

        string tail = item.GetMetadata(ModelMetadata.Tail);
        if (tail.Length > 0)
        {
            if (string.Equals(tail, "Auto", StringComparison.OrdinalIgnoreCase) && options.Outputs is null)
            {
                options = options with { AutoTail = true };
            }
            else if (!string.Equals(tail, "None", StringComparison.OrdinalIgnoreCase))
            {
                Bad(diagnostics, file, model, ModelMetadata.Tail, tail, options.Outputs is null ? "None or Auto" : "None (Outputs already chooses the outputs)");
            }
        }

        string deviceMemory = item.GetMetadata(ModelMetadata.DeviceMemory);
        if (deviceMemory.Length > 0)
        {
            if (long.TryParse(deviceMemory, NumberStyles.None, CultureInfo.InvariantCulture, out long bytes))
            {
                options = options with { DeviceMemoryBytes = bytes };
            }
            else
            {
                Bad(diagnostics, file, model, ModelMetadata.DeviceMemory, deviceMemory, "a byte count ≥ 0 (0 = no check)");
            }
        }

        return options;
    }

    /// <summary>Canonical text of everything that changes the outputs; written to the per-model options stamp.</summary>
    public static string Canonical(CompileOptions o, IModelItem item)
    {
        static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            "emc-options v1",
            "dataset=" + string.Join('|', o.Dataset),
            "inputRange=" + (o.InputRange is { } r ? F(r.Low) + "," + F(r.High) : ""),
            "mean=" + (o.Mean is null ? "" : string.Join(',', o.Mean.Select(F))),
            "std=" + (o.Std is null ? "" : string.Join(',', o.Std.Select(F))),
            "channelOrder=" + o.ChannelOrder,
            "weightBits=" + o.WeightBits.ToString(CultureInfo.InvariantCulture),
            "calibration=" + o.Calibration,
            "maxSamples=" + o.MaxCalibrationSamples.ToString(CultureInfo.InvariantCulture),
            "fullyConnected=" + o.FullyConnected,
            "inputShapes=" + OptionSyntax.Format(o.InputShapes),
            "outputs=" + (o.Outputs is null ? "" : string.Join(',', o.Outputs)),
            "autoTail=" + (o.AutoTail ? "true" : "false"),
        };
        if (o.DeviceMemoryBytes != CompileOptions.K210DeviceMemoryBytes)
        {
            // Only when set: existing stamps (and so up-to-date models) stay as they were.
            lines.Add("deviceMemory=" + o.DeviceMemoryBytes.ToString(CultureInfo.InvariantCulture));
        }

        if (item.GetMetadata(ModelMetadata.CSharpUtf8Literal).Length > 0)
        {
            // Only when set (LangVersion 8–10): existing stamps stay as they were.
            lines.Add(ModelMetadata.CSharpUtf8Literal + "=" + item.GetMetadata(ModelMetadata.CSharpUtf8Literal));
        }

        foreach (string name in new[]
                 {
                     ModelMetadata.OutputName, ModelMetadata.Namespace, ModelMetadata.ClassName, ModelMetadata.Access,
                     ModelMetadata.GenerateCHeader, ModelMetadata.GenerateCSharp, ModelMetadata.Report,
                     ModelMetadata.EmbedAsResource, ModelMetadata.ResourceName,
                 })
        {
            lines.Add(name + "=" + item.GetMetadata(name));
        }

        return string.Join('\n', lines);
    }

    /// <summary>Report: empty or true → JSON, Html → the self-contained HTML page, false → none.</summary>
    public static bool WritesReport(IModelItem item) => Flag(item, ModelMetadata.Report, true) || ReportIsHtml(item);

    public static bool ReportIsHtml(IModelItem item) =>
        string.Equals(item.GetMetadata(ModelMetadata.Report), "html", StringComparison.OrdinalIgnoreCase);

    public static bool Flag(IModelItem item, string name, bool fallback)
    {
        string value = item.GetMetadata(name);
        return value.Length == 0 ? fallback : string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
    }

    private static List<float>? Floats(IModelItem item, string name, string model, string file, DiagnosticBag diagnostics)
    {
        string text = item.GetMetadata(name);
        if (text.Length == 0)
        {
            return null;
        }

        var values = new List<float>();
        foreach (string part in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!float.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
            {
                Bad(diagnostics, file, model, name, text, "comma-separated numbers");
                return null;
            }

            values.Add(v);
        }

        return values;
    }

    private static void Bad(DiagnosticBag diagnostics, string file, string model, string name, string value, string expected) =>
        diagnostics.Add(BuildDiagnostics.InvalidMetadata.Create(
            $"EmcModel '{model}': {name}='{value}' is invalid; expected {expected}", file));
}
