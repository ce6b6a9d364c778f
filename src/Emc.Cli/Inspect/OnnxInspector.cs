using System.Globalization;
using System.Text.Json;
using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Diagnostics;
using Emc.Onnx;
using Emc.Onnx.Protobuf;

namespace Emc.Cli.Inspect;

/// <summary><c>emc inspect model.onnx</c>: the model as written (inputs, outputs, IR version, opsets, producer, op
/// histogram, parameter count) plus what import says (unsupported ops with node names, other diagnostics).</summary>
public static class OnnxInspector
{
    public static int Run(string path, bool json, TextWriter stdout, TextWriter? stderr = null)
    {
        stderr ??= Console.Error;
        var loaded = OnnxModelLoader.Load(path);
        OnnxModelReport report;
        List<Diagnostic> diagnostics;
        if (loaded.Value is null)
        {
            // Rejected by the loader (IR version, opset, external data): when the file still parses, show what can be
            // shown — the listing without the import's shapes — with the diagnostics, like any other rejected model.
            var raw = TryParse(path);
            if (raw?.Graph is null)
            {
                return CliRunner.Report(loaded.Diagnostics, stderr);
            }

            diagnostics = [.. loaded.Diagnostics];
            report = OnnxModelReport.Create(raw, null, diagnostics);
        }
        else
        {
            // Import and the K210 lowering checks (no calibration): "will it compile?" with every problem, once.
            var (graph, found) = CompileCheck.Run(loaded.Value, path);
            diagnostics = loaded.Diagnostics.Concat(found).ToList();
            report = OnnxModelReport.Create(loaded.Value, graph, diagnostics) with { CompileCheck = OnnxModelReport.DescribeCheck(diagnostics) };
        }

        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(report, OnnxModelReport.JsonOptions));
        }
        else
        {
            report.WriteText(stdout);
        }

        // Diagnostics go to stderr once, in canonical form, and set the exit code (the JSON report also lists them;
        // the text report only counts them, so a terminal shows each once).
        return CliRunner.Report(diagnostics, stderr);
    }

    private static ModelProto? TryParse(string path)
    {
        try
        {
            // Regular files only, size checked first: a FIFO would block and /dev/zero never ends.
            byte[]? bytes = Emc.IO.SafeFile.TryReadAll(path, int.MaxValue - 1, out _);
            return bytes is null ? null : ModelProto.Parser.ParseFrom(bytes);
        }
        catch (Exception e) when (e is Google.Protobuf.InvalidProtocolBufferException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>What <c>emc inspect</c> reports about an ONNX model.</summary>
public sealed record OnnxModelReport(
    long IrVersion,
    IReadOnlyDictionary<string, long> Opsets,
    string Producer,
    IReadOnlyList<OnnxModelReport.Port> Inputs,
    IReadOnlyList<OnnxModelReport.Port> Outputs,
    int NodeCount,
    IReadOnlyDictionary<string, int> Operators,
    long ParameterCount,
    IReadOnlyList<OnnxModelReport.UnsupportedOp> Unsupported,
    IReadOnlyList<string> Diagnostics)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    /// <summary>A graph input or output as declared; <paramref name="ImportedShape"/> after import (batch resolved).</summary>
    public sealed record Port(string Name, string Type, string DeclaredShape, string? ImportedShape);

    public sealed record UnsupportedOp(string OpType, string Domain, IReadOnlyList<string> Nodes);

    /// <summary>The answer to "will it compile?" from import and the K210 lowering checks (null when the loader
    /// rejected the model before import).</summary>
    public string? CompileCheck { get; init; }

    /// <summary>"yes, as far as …" or "no: N errors (…)".</summary>
    public static string DescribeCheck(IReadOnlyList<Diagnostic> diagnostics)
    {
        int errors = diagnostics.Count(d => d.IsError);
        return errors == 0
            ? "yes, as far as import and the K210 lowering checks tell (calibration, quantization and memory planning not run)"
            : string.Create(CultureInfo.InvariantCulture, $"no: {errors} error{(errors == 1 ? "" : "s")} from import and the K210 lowering checks (listed on stderr)");
    }

    public static OnnxModelReport Create(ModelProto model, Graph? graph, IReadOnlyList<Diagnostic> diagnostics)
    {
        var g = model.Graph;
        var initializers = g.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var opsets = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var o in model.OpsetImport)
        {
            opsets[OnnxVersions.IsDefaultDomain(o.Domain) ? "ai.onnx" : o.Domain] = o.Version;
        }

        var histogram = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in g.Node)
        {
            string key = OnnxVersions.IsDefaultDomain(node.Domain) ? node.OpType : node.Domain + "." + node.OpType;
            histogram[key] = histogram.GetValueOrDefault(key) + 1;
        }

        var registry = OperatorRegistry.Default;
        var unsupported = g.Node
            .Select((n, i) => (Node: n, Name: string.IsNullOrEmpty(n.Name) ? $"{n.OpType}_{i.ToString(CultureInfo.InvariantCulture)}" : n.Name))
            .Where(x => registry.Find(x.Node.Domain, x.Node.OpType) is null)
            .GroupBy(x => (x.Node.Domain, x.Node.OpType))
            .OrderBy(x => x.Key.OpType, StringComparer.Ordinal)
            .Select(x => new UnsupportedOp(x.Key.OpType, OnnxVersions.IsDefaultDomain(x.Key.Domain) ? "ai.onnx" : x.Key.Domain, x.Select(y => y.Name).ToList()))
            .ToList();

        // Every element of every initializer, whatever its type (int8/uint8 weights of a quantized model count like
        // float ones), plus the tensors Constant nodes hold.
        long parameters = g.Initializer.Sum(ElementCount)
            + g.Node.Where(n => n.OpType == "Constant" && OnnxVersions.IsDefaultDomain(n.Domain))
                .SelectMany(n => n.Attribute).Where(a => a.Name == "value" && a.T is not null).Sum(a => ElementCount(a.T));

        // A name can be listed twice (an output repeated, or an input passed straight through): first one wins.
        var imported = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in graph is null ? [] : graph.Inputs.Concat(graph.Outputs))
        {
            imported.TryAdd(v.Name, v.Shape?.ToString() ?? "?");
        }

        Port ToPort(ValueInfoProto v) => new(v.Name, DescribeType(v.Type), DescribeShape(v.Type), imported.GetValueOrDefault(v.Name));

        return new OnnxModelReport(
            model.IrVersion,
            opsets,
            string.IsNullOrEmpty(model.ProducerVersion) ? model.ProducerName : $"{model.ProducerName} {model.ProducerVersion}",
            g.Input.Where(i => !initializers.Contains(i.Name)).Select(ToPort).ToList(),
            g.Output.Select(ToPort).ToList(),
            g.Node.Count,
            histogram,
            parameters,
            unsupported,
            diagnostics.Select(d => d.ToString()).ToList());
    }

    public void WriteText(TextWriter w)
    {
        w.WriteLine($"IR version   {IrVersion.ToString(CultureInfo.InvariantCulture)}");
        w.WriteLine($"Opsets       {string.Join(", ", Opsets.Select(o => $"{o.Key} {o.Value.ToString(CultureInfo.InvariantCulture)}"))}");
        w.WriteLine($"Producer     {(Producer.Length == 0 ? "(none)" : DiagnosticText.Escape(Producer))}");
        w.WriteLine("Inputs");
        foreach (var p in Inputs)
        {
            w.WriteLine($"  {DiagnosticText.Escape(p.Name)}: {p.Type}{p.DeclaredShape}{(p.ImportedShape is null || p.ImportedShape == p.DeclaredShape ? "" : $" -> {p.ImportedShape}")}");
        }

        w.WriteLine("Outputs");
        foreach (var p in Outputs)
        {
            w.WriteLine($"  {DiagnosticText.Escape(p.Name)}: {p.Type}{p.DeclaredShape}{(p.ImportedShape is null || p.ImportedShape == p.DeclaredShape ? "" : $" -> {p.ImportedShape}")}");
        }

        w.WriteLine($"Nodes        {NodeCount.ToString(CultureInfo.InvariantCulture)}");
        foreach (var (op, count) in Operators)
        {
            w.WriteLine($"  {DiagnosticText.Escape(op),-28} {count.ToString(CultureInfo.InvariantCulture),6}");
        }

        w.WriteLine($"Parameters   {ParameterCount.ToString("N0", CultureInfo.InvariantCulture)}");
        if (Unsupported.Count > 0)
        {
            w.WriteLine("Unsupported operators");
            foreach (var u in Unsupported)
            {
                w.WriteLine(DiagnosticText.Escape($"  {u.OpType} ({u.Domain}): {string.Join(", ", u.Nodes)}"));
            }
        }

        if (CompileCheck is not null)
        {
            w.WriteLine($"Compiles     {CompileCheck}");
        }
        else if (Diagnostics.Count > 0)
        {
            w.WriteLine($"Diagnostics  {Diagnostics.Count.ToString(CultureInfo.InvariantCulture)} (listed on stderr)");
        }
    }

    private static long ElementCount(TensorProto t) => t.Dims.Aggregate(1L, (a, d) => a * Math.Max(0, d));

    private static string DescribeType(TypeProto? type) => type?.TensorType is { } t
        ? (Enum.IsDefined(typeof(TensorProto.Types.DataType), t.ElemType) ? ((TensorProto.Types.DataType)t.ElemType).ToString().ToLowerInvariant() : "?")
        : type is null ? "?" : type.ValueCase.ToString();

    private static string DescribeShape(TypeProto? type)
    {
        if (type?.TensorType?.Shape is not { } shape)
        {
            return type?.TensorType is null ? "" : "[?]";
        }

        return "[" + string.Join(",", shape.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString(CultureInfo.InvariantCulture) : d.HasDimParam ? d.DimParam : "?")) + "]";
    }
}
