using System.Globalization;
using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;

namespace Emc.Build.Tool;

/// <summary>
/// Turns EmcModel metadata into <see cref="CompileOptions"/>: validated by the compiler-free
/// <see cref="ModelOptionValues"/> (which the task also runs), every bad value an EMC0801 naming it.
/// </summary>
internal static class ModelOptionsParser
{
    public static CompileOptions Parse(IModelItem item, IReadOnlyList<string> datasetFiles, string file, DiagnosticBag diagnostics)
    {
        var problems = new List<string>();
        var v = ModelOptionValues.Parse(item, datasetFiles, problems);
        foreach (string problem in problems)
        {
            diagnostics.Add(BuildDiagnostics.InvalidMetadata.Create(problem, file));
        }

        var defaults = new CompileOptions();
        return defaults with
        {
            Dataset = v.Dataset,
            InputRange = v.InputRange is { } r ? (r[0], r[1]) : null,
            Mean = v.Mean,
            Std = v.Std,
            ChannelOrder = v.ChannelOrder is null ? defaults.ChannelOrder : Enum.Parse<ChannelOrder>(v.ChannelOrder),
            WeightBits = v.WeightBits ?? defaults.WeightBits,
            Calibration = v.Calibration is null ? defaults.Calibration : Enum.Parse<CalibrationMethod>(v.Calibration),
            ActivationRanges = v.ActivationRanges is null ? defaults.ActivationRanges : Enum.Parse<ActivationRanges>(v.ActivationRanges),
            WeightRounding = v.WeightRounding is null ? defaults.WeightRounding : Enum.Parse<WeightRounding>(v.WeightRounding),
            MaxCalibrationSamples = v.MaxCalibrationSamples ?? defaults.MaxCalibrationSamples,
            FullyConnected = v.FullyConnected is null ? defaults.FullyConnected : Enum.Parse<FullyConnectedTarget>(v.FullyConnected),
            InputShapes = v.InputShapes,
            Outputs = v.Outputs,
            AutoTail = v.AutoTail,
            DeviceMemoryBytes = v.DeviceMemoryBytes ?? defaults.DeviceMemoryBytes,
            FineActivationsPercent = v.FineActivationsPercent ?? defaults.FineActivationsPercent,
        };
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

        if (o.ActivationRanges != ActivationRanges.PerTensor)
        {
            lines.Add("activationRanges=" + o.ActivationRanges); // only when set, as deviceMemory
        }

        if (o.WeightRounding != WeightRounding.Nearest)
        {
            lines.Add("weightRounding=" + o.WeightRounding); // only when set, as deviceMemory
        }

        if (o.FineActivationsPercent > 0)
        {
            lines.Add("fineActivations=" + o.FineActivationsPercent.ToString(CultureInfo.InvariantCulture)); // only when set, as deviceMemory
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
}
