using System.Globalization;
using System.Net;
using System.Text;

namespace Emc.Compiler.Compilation;

/// <summary>
/// The compile report as one self-contained HTML page: inline CSS and SVG, no script, no network. Sections: totals,
/// options, per-output accuracy, the memory timeline, estimated time per layer, the layer table (placement, ONNX
/// nodes, MACs, weights, estimate), the passes, and the report JSON the figures come from.
/// </summary>
public static class CompileReportHtml
{
    private static readonly CultureInfo Ic = CultureInfo.InvariantCulture;

    public static byte[] ToHtml(CompileReport report) => Encoding.UTF8.GetBytes(ToHtmlString(report));

    public static string ToHtmlString(CompileReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        string title = report.SourcePath is { } p ? Path.GetFileName(p) : "model";
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>emc compile report: ").Append(E(title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        sb.Append("<header><h1>").Append(E(title)).Append(" <span class=\"sub\">→ K210 kmodel v3</span></h1>");
        if (report.SourcePath is not null)
        {
            sb.Append("<p class=\"path\">").Append(E(report.SourcePath)).Append("</p>");
        }

        sb.Append("</header>\n");
        Totals(sb, report);
        sb.Append("<div class=\"cols\">");
        Accuracy(sb, report);
        Options(sb, report);
        sb.Append("</div>\n");
        MemoryTimeline(sb, report);
        TimeChart(sb, report);
        Layers(sb, report);
        Passes(sb, report);
        Data(sb, report);
        sb.Append("<footer>Written by emc compile. Times marked <em>est.</em> are ")
          .Append(E(CompileReportFormat.EstimateNote)).Append(".</footer>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Totals(StringBuilder sb, CompileReport r)
    {
        long total = r.KpuMacs + r.CpuMacs;
        int kpuLayers = r.Layers.Count(l => l.OnKpu);
        sb.Append("<section id=\"totals\"><h2>Summary</h2><div class=\"cards\">");
        Card(sb, "est-time", "Estimated device time", F(r.EstimatedMicroseconds / 1000, "F2") + " ms", "estimate, K210 @ 400 MHz — not a measurement");
        Card(sb, "layers", "Layers", $"{r.Layers.Count}", $"{kpuLayers} KPU, {r.Layers.Count - kpuLayers} CPU");
        Card(sb, "macs", "MACs", Big(total), $"KPU {(total == 0 ? 0 : 100.0 * r.KpuMacs / total).ToString("F1", Ic)}%, CPU {Big(r.CpuMacs)}");
        Card(sb, "model-bytes", "Model size", Bytes(r.ModelBytes), $"{r.ModelBytes.ToString("N0", Ic)} bytes");
        Card(sb, "main-mem", "Main memory", Bytes(r.MainMemoryUsage), "main_mem_usage (planned peak)");
        Card(sb, "kpu-peak", "KPU RAM peak", Bytes(r.KpuPeakUnits * 64L), $"{r.KpuPeakUnits} of 32768 units of 64 B");
        sb.Append("</div></section>\n");
    }

    private static void Card(StringBuilder sb, string id, string label, string value, string note) =>
        sb.Append("<div class=\"card\" id=\"card-").Append(id).Append("\"><div class=\"label\">").Append(E(label)).Append("</div><div class=\"value\">")
          .Append(E(value)).Append("</div><div class=\"note\">").Append(E(note)).Append("</div></div>");

    private static void Accuracy(StringBuilder sb, CompileReport r)
    {
        sb.Append("<section id=\"accuracy\"><h2>Accuracy</h2>");
        if (r.Accuracy.Count == 0)
        {
            sb.Append("<p>No accuracy figures (no sample could be simulated).</p>");
        }
        else
        {
            sb.Append("<p class=\"note\" id=\"accuracy-data\">Simulated kmodel (bit-exact) against the float model; ")
              .Append(E(r.SamplesNote(r.Accuracy[0]))).Append(".</p>")
              .Append("<table><thead><tr><th>output</th><th>SQNR</th><th></th><th>max |error|</th><th title=\"the float model with only the kmodel's activation rounding: about the best any weight rounding could reach\">activation rounding alone</th><th>samples</th></tr></thead><tbody>");
            foreach (var a in r.Accuracy)
            {
                double shown = double.IsFinite(a.SqnrDb) ? a.SqnrDb : 99;
                double width = Math.Clamp(shown, 0, 60) / 60 * 120;
                string cls = shown >= 30 ? "good" : shown >= 15 ? "fair" : "poor";
                sb.Append("<tr><td>").Append(E(a.Name)).Append("</td><td class=\"num sqnr\">")
                  .Append(double.IsFinite(a.SqnrDb) ? F(a.SqnrDb, "F2") + " dB" : "exact")
                  .Append("</td><td><svg width=\"124\" height=\"12\" role=\"img\" aria-label=\"SQNR bar\"><rect class=\"bar-")
                  .Append(cls).Append("\" x=\"0\" y=\"1\" height=\"10\" width=\"").Append(F(width, "F1")).Append("\"/></svg></td><td class=\"num\">")
                  .Append(F(a.MaxAbsError, "G4")).Append("</td><td class=\"num\">")
                  .Append(a.ActivationRoundingSqnrDb is { } bound ? (double.IsFinite(bound) ? F(bound, "F2") + " dB" : "exact") : "—")
                  .Append("</td><td class=\"num\">").Append(a.Samples).Append("</td></tr>");
            }

            sb.Append("</tbody></table>");
        }

        var worst = CompileReportFormat.WorstLayers(r);
        sb.Append("<p class=\"note\" id=\"worst-layers\">").Append(worst.Count == 0
            ? "Per-layer accuracy: no layer output maps to a float value."
            : E("Lowest per-layer SQNR (column SQNR of the layer table, same samples): " + string.Join(", ", worst.Select(CompileReportFormat.LayerLabel)))).Append("</p></section>\n");
    }

    private static void Options(StringBuilder sb, CompileReport r)
    {
        sb.Append("<section id=\"options\"><h2>Options</h2><table><tbody>");
        if (r.Options is { } o)
        {
            string input = o.Mean is not null || o.Std is not null
                ? $"(pixel/255 − mean {Floats(o.Mean)}) / std {Floats(o.Std)}"
                : o.InputRange is { } range ? $"0..255 → [{F(range.Low, "G")}, {F(range.High, "G")}]" : "0..255 → [0, 1] (default)";
            Row(sb, "input mapping", input);
            Row(sb, "channel order", o.ChannelOrder.ToString().ToUpperInvariant());
            Row(sb, "weight bits", o.WeightBits.ToString(Ic));
            Row(sb, "calibration", o.Calibration.ToString());
            Row(sb, "fully connected", o.FullyConnected.ToString());
            Row(sb, "dataset", o.Dataset.Count == 0 ? "(none)" : string.Join(", ", o.Dataset));
            Row(sb, "max calibration samples", o.MaxCalibrationSamples.ToString(Ic));
        }
        else
        {
            Row(sb, "options", "not recorded");
        }

        sb.Append("</tbody></table></section>\n");
    }

    private static void Row(StringBuilder sb, string key, string value) =>
        sb.Append("<tr><th>").Append(E(key)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static void MemoryTimeline(StringBuilder sb, CompileReport r)
    {
        sb.Append("<section id=\"memory\"><h2>Memory over the layers</h2>");
        int n = r.Layers.Count;
        if (n == 0)
        {
            sb.Append("<p>No layers.</p></section>\n");
            return;
        }

        const int W = 1160, H = 260, L = 70, R = 20, T = 20, B = 40;
        long max = Math.Max(1, r.Layers.Max(l => Math.Max(l.MainMemoryInUse, l.KpuMemoryInUse)));
        max = Math.Max(max, r.KpuPeakUnits * 64L);
        double X(int i) => L + (n == 1 ? (W - L - R) / 2.0 : i * (W - L - R) / (double)(n - 1));
        double Y(long v) => T + (H - T - B) * (1 - (v / (double)max));
        sb.Append("<svg class=\"chart\" viewBox=\"0 0 ").Append(W).Append(' ').Append(H).Append("\" role=\"img\" aria-label=\"Main memory and KPU RAM in use per layer\">");
        for (int g = 0; g <= 4; g++)
        {
            long v = max * g / 4;
            sb.Append("<line class=\"grid\" x1=\"").Append(L).Append("\" x2=\"").Append(W - R).Append("\" y1=\"").Append(F(Y(v), "F1")).Append("\" y2=\"").Append(F(Y(v), "F1"))
              .Append("\"/><text class=\"axis\" x=\"").Append(L - 6).Append("\" y=\"").Append(F(Y(v) + 4, "F1")).Append("\" text-anchor=\"end\">").Append(E(Bytes(v))).Append("</text>");
        }

        int step = Math.Max(1, n / 20);
        for (int i = 0; i < n; i += step)
        {
            sb.Append("<text class=\"axis\" x=\"").Append(F(X(i), "F1")).Append("\" y=\"").Append(H - B + 16).Append("\" text-anchor=\"middle\">").Append(i).Append("</text>");
        }

        sb.Append("<text class=\"axis\" x=\"").Append((L + W - R) / 2).Append("\" y=\"").Append(H - 6).Append("\" text-anchor=\"middle\">layer</text>");
        Series(sb, r, "main", l => l.MainMemoryInUse, X, Y);
        Series(sb, r, "kpu", l => l.KpuMemoryInUse, X, Y);
        sb.Append("</svg><p class=\"legend\"><span class=\"key main\"></span>main memory in use <span class=\"key kpu\"></span>KPU RAM in use — ")
          .Append("● marks each peak. Planned main_mem_usage ").Append(E(Bytes(r.MainMemoryUsage))).Append(", KPU peak ").Append(E(Bytes(r.KpuPeakUnits * 64L)))
          .Append(" (from the allocator; the lines count the bytes of tensors alive during each layer).</p></section>\n");
    }

    private static void Series(StringBuilder sb, CompileReport r, string cls, Func<LayerReport, long> value, Func<int, double> x, Func<long, double> y)
    {
        var points = r.Layers.Select((l, i) => F(x(i), "F1") + "," + F(y(value(l)), "F1"));
        sb.Append("<polyline class=\"line-").Append(cls).Append("\" points=\"").Append(string.Join(' ', points)).Append("\"/>");
        int peak = 0;
        for (int i = 1; i < r.Layers.Count; i++)
        {
            if (value(r.Layers[i]) > value(r.Layers[peak]))
            {
                peak = i;
            }
        }

        long v = value(r.Layers[peak]);
        sb.Append("<circle class=\"peak-").Append(cls).Append("\" cx=\"").Append(F(x(peak), "F1")).Append("\" cy=\"").Append(F(y(v), "F1")).Append("\" r=\"5\"/>")
          .Append("<text class=\"peak-label\" id=\"peak-").Append(cls).Append("\" x=\"").Append(F(Math.Min(x(peak) + 8, 1000), "F1")).Append("\" y=\"").Append(F(y(v) - 8 < 14 ? y(v) + 16 : y(v) - 8, "F1"))
          .Append("\">peak ").Append(cls == "main" ? "main " : "KPU ").Append(E(Bytes(v))).Append(" at layer ").Append(peak).Append("</text>");
    }

    private static void TimeChart(StringBuilder sb, CompileReport r)
    {
        sb.Append("<section id=\"time\"><h2>Estimated time per layer <span class=\"est\">est.</span></h2>");
        int n = r.Layers.Count;
        double max = n == 0 ? 0 : r.Layers.Max(l => l.EstimatedMicroseconds);
        if (n == 0 || max <= 0)
        {
            sb.Append("<p>No estimate.</p></section>\n");
            return;
        }

        const int W = 1160, H = 180, L = 70, R = 20, T = 10, B = 24;
        double bw = (W - L - R) / (double)n;
        sb.Append("<svg class=\"chart\" viewBox=\"0 0 ").Append(W).Append(' ').Append(H).Append("\" role=\"img\" aria-label=\"Estimated microseconds per layer\">");
        sb.Append("<text class=\"axis\" x=\"").Append(L - 6).Append("\" y=\"").Append(T + 10).Append("\" text-anchor=\"end\">").Append(E(F(max, "F0"))).Append(" µs</text>")
          .Append("<text class=\"axis\" x=\"").Append(L - 6).Append("\" y=\"").Append(H - B).Append("\" text-anchor=\"end\">0</text>");
        for (int i = 0; i < n; i++)
        {
            var l = r.Layers[i];
            double h = (H - T - B) * l.EstimatedMicroseconds / max;
            sb.Append("<rect class=\"").Append(l.OnKpu ? "bar-kpu" : "bar-cpu").Append("\" x=\"").Append(F(L + (i * bw) + 0.5, "F1")).Append("\" y=\"").Append(F(H - B - h, "F1"))
              .Append("\" width=\"").Append(F(Math.Max(1, bw - 1), "F1")).Append("\" height=\"").Append(F(h, "F1")).Append("\"><title>layer ").Append(i).Append(' ').Append(E(l.LayerType))
              .Append(": ").Append(E(F(l.EstimatedMicroseconds, "F1"))).Append(" µs (est.)</title></rect>");
        }

        sb.Append("</svg><p class=\"legend\"><span class=\"key kpu-bar\"></span>KPU layer <span class=\"key cpu-bar\"></span>CPU layer — total ")
          .Append(E(F(r.EstimatedMicroseconds / 1000, "F2"))).Append(" ms per inference (").Append(E(CompileReportFormat.EstimateNote)).Append(").</p></section>\n");
    }

    private static void Layers(StringBuilder sb, CompileReport r)
    {
        sb.Append("<section id=\"layers\"><h2>Layers</h2><table class=\"layers\"><thead><tr><th>#</th><th>unit</th><th>kind</th><th>ONNX nodes</th><th>input</th><th>output</th>")
          .Append("<th>MACs</th><th>weights</th><th>time <span class=\"est\">est.</span></th><th>dominated by</th><th>output range</th><th>SQNR</th><th>memory</th></tr></thead><tbody>");
        foreach (var l in r.Layers)
        {
            sb.Append("<tr><td class=\"num\">").Append(l.Index).Append("</td><td><span class=\"unit ").Append(l.OnKpu ? "kpu\">KPU" : "cpu\">CPU").Append("</span></td><td>")
              .Append(E(l.LayerType)).Append("</td><td class=\"src\">").Append(E(l.SourceNodes ?? "")).Append(l.Tiling is { } tiling ? "<br><span class=\"est\">" + E(tiling) + "</span>" : "").Append("</td><td>").Append(E(string.Join("×", l.InputShape)))
              .Append("</td><td>").Append(E(string.Join("×", l.OutputShape))).Append("</td><td class=\"num\">").Append(E(l.Macs.ToString("N0", Ic)))
              .Append("</td><td class=\"num\">").Append(E(l.WeightBytes.ToString("N0", Ic))).Append("</td><td class=\"num\">").Append(E(F(l.EstimatedMicroseconds, "F1"))).Append(" µs</td><td>")
              .Append(E(l.EstimateBasis)).Append("</td><td>")
              .Append(l.OutputRange is { } q ? E($"[{q.Low.ToString("G4", Ic)}, {q.High.ToString("G4", Ic)}]") : "float").Append("</td><td class=\"num sqnr\">")
              .Append(l.SqnrDb is { } db ? (double.IsFinite(db) ? F(db, "F2") + " dB" : "exact") : "—").Append("</td><td class=\"mem\">")
              .Append(E(l.MemoryPlacement)).Append("</td></tr>");
        }

        sb.Append("</tbody></table></section>\n");
    }

    private static void Passes(StringBuilder sb, CompileReport r)
    {
        sb.Append("<section id=\"passes\"><h2>Compiler passes</h2><table><thead><tr><th>stage</th><th>pass</th><th>applied</th></tr></thead><tbody>");
        foreach (var p in r.Passes)
        {
            sb.Append("<tr").Append(p.Applied == 0 ? " class=\"idle\"" : "").Append("><td>").Append(E(p.Stage)).Append("</td><td>").Append(E(p.Name))
              .Append("</td><td class=\"num\">").Append(p.Applied).Append("</td></tr>");
        }

        sb.Append("</tbody></table></section>\n");
    }

    private static void Data(StringBuilder sb, CompileReport r)
    {
        // The same JSON as --report r.json, as inert data (type application/json is never executed).
        string json = Encoding.UTF8.GetString(CompileReportFormat.ToJson(r)).Replace("</", "<\\/", StringComparison.Ordinal);
        sb.Append("<section id=\"data\"><h2>Data</h2><p class=\"note\">Every figure above comes from this JSON (what <code>emc compile --report r.json</code> writes).</p>")
          .Append("<details><summary>report JSON</summary><pre>").Append(E(json)).Append("</pre></details>")
          .Append("<script type=\"application/json\" id=\"report-data\">").Append(json).Append("</script></section>\n");
    }

    private static string Floats(IReadOnlyList<float>? values) => values is null ? "—" : string.Join(", ", values.Select(v => v.ToString("G", Ic)));

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string F(double v, string format) => v.ToString(format, Ic);

    private static string Big(long v) => v >= 1_000_000_000 ? F(v / 1e9, "F2") + " G" : v >= 1_000_000 ? F(v / 1e6, "F2") + " M" : v >= 1000 ? F(v / 1e3, "F1") + " k" : v.ToString(Ic);

    private static string Bytes(long v) => v >= 1 << 20 ? F(v / 1048576.0, "F2") + " MiB" : v >= 1024 ? F(v / 1024.0, "F1") + " KiB" : v.ToString(Ic) + " B";

    private const string Css = """
        :root { --kpu: #1f77b4; --cpu: #e07b00; --ink: #1d2330; --muted: #5b6474; --line: #d9dee7; --bg: #f6f7fa; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; padding: 16px 24px 32px; max-width: 1240px; background: #fff; }
        h1 { font-size: 22px; margin: 4px 0; } h1 .sub { color: var(--muted); font-weight: 400; font-size: 16px; }
        h2 { font-size: 16px; margin: 22px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        .path { color: var(--muted); margin: 0; font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
        .cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 10px; }
        .card { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
        .card .label { color: var(--muted); font-size: 12px; } .card .value { font-size: 20px; font-weight: 600; } .card .note { color: var(--muted); font-size: 11px; }
        #card-est-time { border-color: #b9c7dd; }
        .cols { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
        table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
        th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
        thead th { background: var(--bg); position: sticky; top: 0; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.src, td.mem { font-family: ui-monospace, monospace; font-size: 11px; word-break: break-all; }
        td.mem { color: var(--muted); max-width: 260px; }
        .unit { display: inline-block; padding: 0 6px; border-radius: 3px; color: #fff; font-size: 11px; font-weight: 600; }
        .unit.kpu { background: var(--kpu); } .unit.cpu { background: var(--cpu); }
        tr.idle td { color: #9aa2b1; }
        .note { color: var(--muted); font-size: 12px; }
        .est { font-size: 11px; font-weight: 600; color: #8a5a00; background: #fff3d6; border-radius: 3px; padding: 0 4px; }
        .chart { width: 100%; height: auto; display: block; }
        .grid { stroke: var(--line); stroke-width: 1; } .axis { fill: var(--muted); font-size: 11px; }
        .line-main { fill: none; stroke: #2a9d5b; stroke-width: 2; } .line-kpu { fill: none; stroke: var(--kpu); stroke-width: 2; }
        .peak-main { fill: #2a9d5b; } .peak-kpu { fill: var(--kpu); } .peak-label { font-size: 12px; font-weight: 600; fill: var(--ink); paint-order: stroke; stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
        .bar-kpu { fill: var(--kpu); } .bar-cpu { fill: var(--cpu); }
        .bar-good { fill: #2a9d5b; } .bar-fair { fill: #e0b000; } .bar-poor { fill: #c0392b; }
        .legend { font-size: 12px; color: var(--muted); }
        .key { display: inline-block; width: 14px; height: 4px; margin: 0 4px 3px 10px; vertical-align: middle; }
        .key.main { background: #2a9d5b; } .key.kpu { background: var(--kpu); } .key.kpu-bar { background: var(--kpu); height: 10px; } .key.cpu-bar { background: var(--cpu); height: 10px; }
        pre { background: var(--bg); padding: 8px; font-size: 11px; max-height: 400px; overflow: auto; }
        footer { margin-top: 24px; color: var(--muted); font-size: 12px; }
        @media (max-width: 900px) { .cards { grid-template-columns: repeat(3, 1fr); } .cols { grid-template-columns: 1fr; } }
        @media print {
          @page { size: A4 landscape; margin: 12mm; }
          body { max-width: none; padding: 0; font-size: 11px; }
          .cards { grid-template-columns: repeat(6, 1fr); }
          thead th { position: static; }
          tr, .card, svg { break-inside: avoid; }
          section { break-inside: auto; } h2 { break-after: avoid; }
          details, #data pre { display: none; }
          td.mem { max-width: 180px; }
        }

        """;
}
