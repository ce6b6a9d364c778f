using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Emc.Compiler.Compilation;

/// <summary>The compile report as JSON (for tools and the build) and as a readable console table.</summary>
public static class CompileReportFormat
{
    /// <summary>Shown wherever the estimated device time appears.</summary>
    public const string EstimateNote = "estimate from a cost model of the K210 at 400 MHz (docs/cost-model.md), not a measurement";

    /// <summary>The report in the format the file name asks for: <c>.html</c>/<c>.htm</c> → the HTML page, anything else → JSON.</summary>
    public static byte[] ForPath(CompileReport report, string path) => IsHtml(path) ? CompileReportHtml.ToHtml(report) : ToJson(report);

    public static bool IsHtml(string path) =>
        Path.GetExtension(path) is { } ext && (ext.Equals(".html", StringComparison.OrdinalIgnoreCase) || ext.Equals(".htm", StringComparison.OrdinalIgnoreCase));

    public static byte[] ToJson(CompileReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            CompileReportBuildInfo.Write(w, report);
            w.WriteStartObject("totals");
            w.WriteNumber("kpuMacs", report.KpuMacs);
            w.WriteNumber("cpuMacs", report.CpuMacs);
            w.WriteNumber("modelBytes", report.ModelBytes);
            w.WriteNumber("mainMemUsage", report.MainMemoryUsage);
            w.WriteNumber("kpuPeakUnits", report.KpuPeakUnits);
            w.WriteNumber("kpuPeakBytes", report.KpuPeakUnits * 64L);
            WriteDouble(w, "estimatedMicroseconds", report.EstimatedMicroseconds);
            w.WriteString("estimateNote", EstimateNote);
            w.WriteEndObject();
            w.WriteStartArray("outputs");
            foreach (var a in report.Accuracy)
            {
                w.WriteStartObject();
                w.WriteString("name", a.Name);
                WriteDouble(w, "sqnrDb", a.SqnrDb);
                WriteDouble(w, "maxAbsError", a.MaxAbsError);
                if (a.ActivationRoundingSqnrDb is { } bound)
                {
                    WriteDouble(w, "activationRoundingSqnrDb", bound);
                }

                w.WriteNumber("samples", a.Samples);
                w.WriteString("data", AccuracyDataText.Key(a.Data));
                w.WriteString("dataNote", a.DataNote);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("layers");
            foreach (var l in report.Layers)
            {
                w.WriteStartObject();
                w.WriteNumber("index", l.Index);
                w.WriteString("kind", l.LayerType);
                w.WriteString("unit", l.OnKpu ? "KPU" : "CPU");
                w.WriteString("source", l.SourceNodes);
                WriteInts(w, "inputShape", l.InputShape);
                WriteInts(w, "outputShape", l.OutputShape);
                w.WriteNumber("macs", l.Macs);
                w.WriteNumber("weightBytes", l.WeightBytes);
                w.WriteString("memory", l.MemoryPlacement);
                w.WriteStartArray("placements");
                foreach (var t in l.Placements)
                {
                    w.WriteStartObject();
                    w.WriteString("role", t.Role);
                    w.WriteString("memory", t.Memory);
                    w.WriteNumber("start", t.Start);
                    w.WriteNumber("end", t.End);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                WriteDouble(w, "estimatedMicroseconds", l.EstimatedMicroseconds);
                w.WriteString("estimateBasis", l.EstimateBasis);
                w.WriteNumber("mainMemoryInUse", l.MainMemoryInUse);
                w.WriteNumber("kpuMemoryInUse", l.KpuMemoryInUse);
                if (l.SqnrDb is { } db)
                {
                    WriteDouble(w, "sqnrDb", db);
                }

                if (l.Tiling is { } tiling)
                {
                    w.WriteString("tiling", tiling);
                }

                if (l.OutputRange is { } r)
                {
                    w.WriteStartObject("outputRange");
                    WriteDouble(w, "low", r.Low);
                    WriteDouble(w, "high", r.High);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("passes");
            foreach (var p in report.Passes)
            {
                w.WriteStartObject();
                w.WriteString("stage", p.Stage);
                w.WriteString("name", p.Name);
                w.WriteNumber("applied", p.Applied);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static string ToTable(CompileReport report)
    {
        var sb = new StringBuilder();
        var ic = CultureInfo.InvariantCulture;
        sb.AppendLine("  #  unit kind                       input          output            MACs    weights  range              memory");
        foreach (var l in report.Layers)
        {
            string range = l.OutputRange is { } r ? string.Create(ic, $"[{r.Low:G4}, {r.High:G4}]") : "float";
            sb.AppendLine(string.Create(ic,
                $"{l.Index,3}  {(l.OnKpu ? "KPU" : "CPU"),-4} {Truncate(l.LayerType, 26),-26} {Shape(l.InputShape),-14} {Shape(l.OutputShape),-14} {l.Macs,10} {l.WeightBytes,10}  {range,-18} {l.MemoryPlacement}"));
        }

        long total = report.KpuMacs + report.CpuMacs;
        sb.AppendLine(string.Create(ic,
            $"MACs: KPU {report.KpuMacs} ({(total == 0 ? 0 : 100.0 * report.KpuMacs / total):F1}%), CPU {report.CpuMacs}; model {report.ModelBytes} bytes; main_mem_usage {report.MainMemoryUsage} bytes; KPU peak {report.KpuPeakUnits} units ({report.KpuPeakUnits * 64L} bytes)"));
        sb.AppendLine(string.Create(ic, $"estimated device time {report.EstimatedMicroseconds / 1000:F2} ms per inference ({EstimateNote})"));
        foreach (var a in report.Accuracy)
        {
            string bound = a.ActivationRoundingSqnrDb is { } db ? string.Create(ic, $"; activation rounding alone: {db:F2} dB") : "";
            sb.AppendLine(string.Create(ic, $"output '{Emc.Diagnostics.DiagnosticText.Escape(a.Name)}': SQNR {a.SqnrDb:F2} dB, max |error| {a.MaxAbsError:G4} (simulated kmodel vs float; {report.SamplesNote(a)}){bound}"));
        }

        if (WorstLayers(report) is { Count: > 0 } worst)
        {
            sb.AppendLine(string.Create(ic, $"lowest per-layer SQNR (simulated layer vs float, same samples): {string.Join(", ", worst.Select(LayerLabel))}"));
        }

        return sb.ToString();
    }

    /// <summary>The layers with the lowest SQNR against the float model (at most <paramref name="count"/>), worst first.</summary>
    public static IReadOnlyList<LayerReport> WorstLayers(CompileReport report, int count = 3) =>
        report.Layers.Where(l => l.SqnrDb is not null).OrderBy(l => l.SqnrDb!.Value).ThenBy(l => l.Index).Take(count).ToList();

    /// <summary>"#12 K210_CONV 'conv5' 14.20 dB": a layer and its SQNR, for the worst-layers line.</summary>
    public static string LayerLabel(LayerReport l) => string.Create(CultureInfo.InvariantCulture,
        $"#{l.Index} {l.LayerType} '{Emc.Diagnostics.DiagnosticText.Escape(l.SourceNodes ?? "")}' {(double.IsFinite(l.SqnrDb ?? 0) ? $"{l.SqnrDb:F2} dB" : "exact")}");

    private static string Shape(IReadOnlyList<int> s) => string.Join("x", s);

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n];

    private static void WriteInts(Utf8JsonWriter w, string name, IReadOnlyList<int> values)
    {
        w.WriteStartArray(name);
        foreach (int v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteDouble(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v))
        {
            w.WriteNumber(name, Math.Round(v, 6));
        }
        else
        {
            w.WriteString(name, v.ToString(CultureInfo.InvariantCulture));
        }
    }
}
