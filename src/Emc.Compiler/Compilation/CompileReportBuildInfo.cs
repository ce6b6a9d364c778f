using System.Reflection;
using System.Text.Json;

namespace Emc.Compiler.Compilation;

/// <summary>
/// The report JSON's <c>build</c> block, for tools: the compiler's version, the model's file name (never an absolute
/// path, so the build's report.json is the same on every machine), the options and the dataset's size.
/// </summary>
internal static class CompileReportBuildInfo
{
    /// <summary>The compiler's version (informational: may carry a commit).</summary>
    public static string Version { get; } =
        typeof(CompileReportBuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CompileReportBuildInfo).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static void Write(Utf8JsonWriter w, CompileReport report)
    {
        w.WriteStartObject("build");
        w.WriteString("tool", "Emc.Compiler");
        w.WriteString("version", Version);
        if (report.SourcePath is { } source)
        {
            w.WriteString("model", Path.GetFileName(source));
        }

        if (report.Options is { } o)
        {
            WriteOptions(w, o);
        }

        w.WriteStartObject("dataset");
        w.WriteNumber("files", report.DatasetFiles);
        w.WriteNumber("calibrationSamples", report.CalibrationSamples);
        w.WriteNumber("accuracySamples", report.Accuracy.Count == 0 ? 0 : report.Accuracy.Max(a => a.Samples));
        if (report.Accuracy.Count > 0)
        {
            w.WriteString("accuracyData", AccuracyDataText.Key(report.Accuracy[0].Data));
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteOptions(Utf8JsonWriter w, CompileOptions o)
    {
        w.WriteStartObject("options");
        if (o.InputRange is { } r)
        {
            Floats(w, "inputRange", [r.Low, r.High]);
        }

        if (o.Mean is { } mean)
        {
            Floats(w, "mean", mean);
        }

        if (o.Std is { } std)
        {
            Floats(w, "std", std);
        }

        w.WriteString("channelOrder", o.ChannelOrder.ToString().ToLowerInvariant());
        w.WriteNumber("weightBits", o.WeightBits);
        w.WriteString("calibration", o.Calibration.ToString().ToLowerInvariant());
        w.WriteString("activationRanges", o.ActivationRanges == ActivationRanges.PerChannel ? "channel" : "tensor");
        w.WriteString("weightRounding", o.WeightRounding == WeightRounding.ErrorFeedback ? "feedback" : "nearest");
        w.WriteNumber("fineActivationsPercent", o.FineActivationsPercent);
        w.WriteString("fullyConnected", o.FullyConnected.ToString().ToLowerInvariant());
        w.WriteNumber("maxCalibrationSamples", o.MaxCalibrationSamples);
        if (o.InputShapes is { Count: > 0 } shapes)
        {
            w.WriteStartObject("inputShapes");
            foreach (var (name, dims) in shapes.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                w.WriteStartArray(name);
                foreach (int d in dims)
                {
                    w.WriteNumberValue(d);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        if (o.Outputs is { } outputs)
        {
            w.WriteStartArray("outputs");
            foreach (string name in outputs)
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
        }

        w.WriteBoolean("autoTail", o.AutoTail);
        w.WriteNumber("deviceMemoryBytes", o.DeviceMemoryBytes);
        w.WriteEndObject();
    }

    private static void Floats(Utf8JsonWriter w, string name, IReadOnlyList<float> values)
    {
        w.WriteStartArray(name);
        foreach (float v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }
}
