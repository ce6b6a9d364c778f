using System.Collections.Concurrent;
using System.Text.Json;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Compiler.Tests.Support;
using Emc.Diagnostics;
using Emc.Onnx;
using Emc.Onnx.Protobuf;
using Emc.Tests;

namespace Emc.Compiler.Tests.Conformance;

internal enum ConformanceStatus
{
    Passed,
    Rejected,
    Failed,
}

/// <summary>The outcome of one ONNX test folder (or light model): its distinct ops, status and why.</summary>
internal sealed record ConformanceResult(string Suite, string Test, IReadOnlyList<string> Ops, ConformanceStatus Status, string Detail);

/// <summary>Runs ONNX backend test folders and light models through our importer + evaluator; results are cached so the
/// per-test methods and the summary table share one run.</summary>
internal static class ConformanceRunner
{
    public static readonly string[] FolderSuites = ["onnx-node", "onnx-pytorch-converted", "onnx-pytorch-operator", "onnx-simple"];

    private static readonly ConcurrentDictionary<string, ConformanceResult> s_cache = new(StringComparer.Ordinal);

    /// <summary>Test names of a suite for DynamicData; a placeholder when the data is absent (the test then skips).</summary>
    public static IEnumerable<object[]> Tests(string suite)
    {
        string root = Path.Combine(TestData.RootOrNull ?? "", suite);
        if (TestData.RootOrNull is null || !Directory.Exists(root))
        {
            return [["(test data missing)"]];
        }

        IEnumerable<string> names = suite == "onnx-light"
            ? Directory.GetFiles(root, "light_*.onnx").Select(f => Path.GetFileNameWithoutExtension(f))
            : Directory.GetDirectories(root, "test_*").Select(d => Path.GetFileName(d));
        return names.Order(StringComparer.Ordinal).Select(n => new object[] { n }).ToList();
    }

    public static ConformanceResult Get(string suite, string test) =>
        s_cache.GetOrAdd($"{suite}/{test}", _ => Execute(suite, test));

    private static ConformanceResult Execute(string suite, string test)
    {
        string modelPath = suite == "onnx-light" ? TestData.Path(suite, test + ".onnx") : TestData.Path(suite, test, "model.onnx");
        Result<ModelProto> loaded = OnnxModelLoader.Load(modelPath);
        if (loaded.Value is null)
        {
            return new ConformanceResult(suite, test, [], ConformanceStatus.Failed, "load failed: " + Errors(loaded.Diagnostics));
        }

        ModelProto model = loaded.Value;
        var ops = model.Graph.Node.Select(n => n.OpType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        try
        {
            return suite == "onnx-light" ? RunLight(suite, test, modelPath, model, ops) : RunFolder(suite, test, modelPath, model, ops);
        }
        catch (Exception e) when (e is not UnitTestAssertException)
        {
            return new ConformanceResult(suite, test, ops, ConformanceStatus.Failed, "exception: " + e);
        }
    }

    private static ConformanceResult RunFolder(string suite, string test, string modelPath, ModelProto model, List<string> ops)
    {
        string folder = Path.GetDirectoryName(modelPath)!;
        var sets = Directory.GetDirectories(folder, "test_data_set_*").Order(StringComparer.Ordinal).ToList();
        if (sets.Count == 0)
        {
            return new ConformanceResult(suite, test, ops, ConformanceStatus.Failed, "no test_data_set_* folder");
        }

        var details = new List<string>();
        foreach (string set in sets)
        {
            List<Tensor> inputs;
            try
            {
                inputs = ReadTensors(set, "input_");
            }
            catch (InvalidDataException e)
            {
                // Inputs we cannot even represent (strings): the importer must reject the model on its own.
                Result<Graph> plain = OnnxImporter.Import(model, modelPath);
                return plain.Value is null
                    ? new ConformanceResult(suite, test, ops, ConformanceStatus.Rejected, Errors(plain.Diagnostics))
                    : new ConformanceResult(suite, test, ops, ConformanceStatus.Failed, "imported, but its test input is unreadable: " + e.Message);
            }

            ModelRunner.Outcome outcome = ModelRunner.Run(model, modelPath, inputs);
            if (!outcome.Succeeded)
            {
                return new ConformanceResult(suite, test, ops, ConformanceStatus.Rejected, outcome.DiagnosticText);
            }

            List<Tensor> expected = ReadTensors(set, "output_");
            string? problem = CompareAll(expected, outcome.Outputs!, ConformanceExpectations.Rtol, ConformanceExpectations.Atol);
            if (problem is not null)
            {
                return new ConformanceResult(suite, test, ops, ConformanceStatus.Failed, $"{Path.GetFileName(set)}: {problem}");
            }

            details.Add(Path.GetFileName(set));
        }

        return new ConformanceResult(suite, test, ops, ConformanceStatus.Passed, string.Join(", ", details));
    }

    private static ConformanceResult RunLight(string suite, string test, string modelPath, ModelProto model, List<string> ops)
    {
        string net = test["light_".Length..];
        using JsonDocument tolerance = JsonDocument.Parse(File.ReadAllText(TestData.Path(suite, "real-data-json", "test_" + net, "data.json")));
        double rtol = tolerance.RootElement.GetProperty("rtol").GetDouble();
        double atol = tolerance.RootElement.GetProperty("atol").GetDouble();
        Tensor expected = ReadTensor(TestData.Path(suite, test + "_output_0.pb"));

        var inputs = new List<Tensor>();
        foreach (string name in ModelRunner.DataInputNames(model))
        {
            ValueInfoProto info = model.Graph.Input.First(i => i.Name == name);
            int[] dims = info.Type.TensorType.Shape.Dim.Select(d => d.HasDimValue ? (int)d.DimValue : 1).ToArray();
            inputs.Add(Arange(new Shape(dims)));
        }

        ModelRunner.Outcome outcome = ModelRunner.Run(model, modelPath, inputs);
        if (!outcome.Succeeded)
        {
            return new ConformanceResult(suite, test, ops, ConformanceStatus.Rejected, outcome.DiagnosticText);
        }

        string? problem = CompareAll([expected], outcome.Outputs!.Take(1).ToList(), rtol, atol);
        return problem is null
            ? new ConformanceResult(suite, test, ops, ConformanceStatus.Passed, $"rtol {rtol}, atol {atol}")
            : new ConformanceResult(suite, test, ops, ConformanceStatus.Failed, problem);
    }

    /// <summary>The ONNX runner's dummy input: np.arange(n).reshape(shape) / n as float32.</summary>
    private static Tensor<float> Arange(Shape shape)
    {
        long n = shape.ElementCount;
        var data = new float[n];
        for (long i = 0; i < n; i++)
        {
            data[i] = (float)((double)i / n);
        }

        return Tensor.Create(shape, data);
    }

    private static string? CompareAll(List<Tensor> expected, IReadOnlyList<Tensor> actual, double rtol, double atol)
    {
        if (actual.Count < expected.Count)
        {
            return $"{actual.Count} outputs, expected {expected.Count}";
        }

        for (int k = 0; k < expected.Count; k++)
        {
            string? problem = TensorComparison.Compare(expected[k], actual[k], rtol, atol);
            if (problem is not null)
            {
                return $"output {k}: {problem}";
            }
        }

        return null;
    }

    private static List<Tensor> ReadTensors(string folder, string prefix)
    {
        var files = Directory.GetFiles(folder, prefix + "*.pb")
            .OrderBy(f => int.Parse(Path.GetFileNameWithoutExtension(f)[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        return files.Select(ReadTensor).ToList();
    }

    /// <summary>Reads a test-data TensorProto; tensors we cannot represent (strings, sequences) count as a rejection.</summary>
    private static Tensor ReadTensor(string path)
    {
        Result<Tensor> read = TensorProtoConverter.ReadFile(path);
        return read.Value ?? throw new InvalidDataException($"{Path.GetFileName(path)}: {Errors(read.Diagnostics)}");
    }

    private static string Errors(IEnumerable<Diagnostic> diagnostics) =>
        string.Join("; ", diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
}
