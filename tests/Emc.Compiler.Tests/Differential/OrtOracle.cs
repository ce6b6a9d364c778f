using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Emc.Compiler.Ir;
using Emc.Tests;

namespace Emc.Compiler.Tests.Differential;

/// <summary>One model run for ONNX Runtime: serialized ModelProto and its inputs, bound by position.</summary>
public sealed record OrtCase(string Name, byte[] Model, IReadOnlyList<Tensor> Inputs);

/// <summary>What ONNX Runtime produced for a case: its outputs (graph output order) or the error it reported.</summary>
public sealed record OrtOutcome(string Name, IReadOnlyList<Tensor> Outputs, string? Error);

/// <summary>
/// ONNX Runtime (npm onnxruntime-node, CPU, 1 thread, graph optimizations disabled) as an external oracle.
/// Runs tests/tools/ort/run.js once per batch of cases through <c>node</c>. When node or the package is missing
/// (build/install-test-tools.sh installs it) tests are reported inconclusive with a message; under CI=true they fail.
/// </summary>
public static class OrtOracle
{
    private static readonly Lazy<string?> s_unavailableReason = new(FindProblem);

    public static string ToolDirectory { get; } = Path.Combine(TestData.RepositoryRoot, "tests", "tools", "ort");

    /// <summary>Skips (or fails under CI) the calling test when the oracle cannot run.</summary>
    public static void RequireAvailable()
    {
        string? why = s_unavailableReason.Value;
        if (why is null)
        {
            return;
        }

        if (TestData.RunningInCi)
        {
            Assert.Fail($"ONNX Runtime oracle unavailable: {why}; CI must run this test.");
        }

        Assert.Inconclusive($"Skipped: ONNX Runtime oracle unavailable: {why} (run build/install-test-tools.sh).");
    }

    /// <summary>Runs every case in one node process; a case ORT rejects comes back with <see cref="OrtOutcome.Error"/>.</summary>
    public static IReadOnlyList<OrtOutcome> Run(IReadOnlyList<OrtCase> cases, TimeSpan? timeout = null)
    {
        RequireAvailable();
        string dir = Path.Combine(Path.GetTempPath(), "emc-ort-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string manifest = WriteManifest(dir, cases);
            RunNode(manifest, timeout ?? TimeSpan.FromSeconds(60 + cases.Count));
            return ReadResults(Path.Combine(dir, "results.json"), cases);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    /// <summary>Runs one case and fails the test when ORT rejects it.</summary>
    public static IReadOnlyList<Tensor> Run(byte[] model, params Tensor[] inputs)
    {
        OrtOutcome outcome = Run([new OrtCase("case", model, inputs)])[0];
        if (outcome.Error is not null)
        {
            Assert.Fail("ONNX Runtime rejected the model: " + outcome.Error);
        }

        return outcome.Outputs;
    }

    private static string WriteManifest(string dir, IReadOnlyList<OrtCase> cases)
    {
        using var stream = File.Create(Path.Combine(dir, "cases.json"));
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("graphOptimizationLevel", "disabled");
            json.WriteString("results", "results.json");
            json.WriteStartArray("cases");
            for (int c = 0; c < cases.Count; c++)
            {
                OrtCase item = cases[c];
                string model = $"m{c}.onnx";
                File.WriteAllBytes(Path.Combine(dir, model), item.Model);
                json.WriteStartObject();
                json.WriteString("name", item.Name);
                json.WriteString("model", model);
                json.WriteString("outputDir", $"o{c}");
                json.WriteStartArray("inputs");
                for (int i = 0; i < item.Inputs.Count; i++)
                {
                    Tensor t = item.Inputs[i];
                    string raw = $"m{c}_in{i}.bin";
                    File.WriteAllBytes(Path.Combine(dir, raw), RawBytes(t));
                    json.WriteStartObject();
                    json.WriteString("raw", raw);
                    json.WriteString("type", OrtTypeName(t.Type));
                    json.WriteStartArray("dims");
                    foreach (int d in t.Shape)
                    {
                        json.WriteNumberValue(d);
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.Name;
    }

    private static void RunNode(string manifest, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ToolDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(ToolDirectory, "run.js"));
        start.ArgumentList.Add("--manifest");
        start.ArgumentList.Add(manifest);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"ONNX Runtime runner timed out after {timeout.TotalSeconds:0} s");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Assert.Fail($"ONNX Runtime runner exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }
    }

    private static List<OrtOutcome> ReadResults(string path, IReadOnlyList<OrtCase> cases)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var outcomes = new List<OrtOutcome>(cases.Count);
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            JsonElement error = c.GetProperty("error");
            if (error.ValueKind == JsonValueKind.String)
            {
                outcomes.Add(new OrtOutcome(name, [], error.GetString()));
                continue;
            }

            var outputs = new List<Tensor>();
            foreach (JsonElement o in c.GetProperty("outputs").EnumerateArray())
            {
                int[] dims = o.GetProperty("dims").EnumerateArray().Select(d => d.GetInt32()).ToArray();
                byte[] bytes = File.ReadAllBytes(o.GetProperty("file").GetString()!);
                outputs.Add(FromRaw(FromOrtTypeName(o.GetProperty("type").GetString()!), new Shape(dims), bytes));
            }

            outcomes.Add(new OrtOutcome(name, outputs, null));
        }

        Assert.AreEqual(cases.Count, outcomes.Count, "ONNX Runtime runner returned a different number of cases");
        return outcomes;
    }

    private static byte[] RawBytes(Tensor t) => t switch
    {
        Tensor<float> f => MemoryMarshal.AsBytes(f.Data.AsSpan()).ToArray(),
        Tensor<long> l => MemoryMarshal.AsBytes(l.Data.AsSpan()).ToArray(),
        Tensor<int> i => MemoryMarshal.AsBytes(i.Data.AsSpan()).ToArray(),
        Tensor<bool> b => MemoryMarshal.AsBytes(b.Data.AsSpan()).ToArray(),
        Tensor<byte> u => (byte[])u.Data.Clone(),
        Tensor<sbyte> s => MemoryMarshal.AsBytes(s.Data.AsSpan()).ToArray(),
        Tensor<double> d => MemoryMarshal.AsBytes(d.Data.AsSpan()).ToArray(),
        Tensor<Half> h => MemoryMarshal.AsBytes(h.Data.AsSpan()).ToArray(),
        _ => throw new NotSupportedException($"ORT oracle input of type {t.Type.Name()}"),
    };

    private static Tensor FromRaw(DataType type, Shape shape, byte[] bytes) => type switch
    {
        DataType.Float32 => Tensor.Create(shape, MemoryMarshal.Cast<byte, float>(bytes).ToArray()),
        DataType.Int64 => Tensor.Create(shape, MemoryMarshal.Cast<byte, long>(bytes).ToArray()),
        DataType.Int32 => Tensor.Create(shape, MemoryMarshal.Cast<byte, int>(bytes).ToArray()),
        DataType.Bool => Tensor.Create(shape, bytes.Select(b => b != 0).ToArray()),
        DataType.UInt8 => Tensor.Create(shape, bytes),
        DataType.Int8 => Tensor.Create(shape, MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray()),
        DataType.Float64 => Tensor.Create(shape, MemoryMarshal.Cast<byte, double>(bytes).ToArray()),
        DataType.Float16 => Tensor.Create(shape, MemoryMarshal.Cast<byte, Half>(bytes).ToArray()),
        _ => throw new NotSupportedException($"ORT oracle output of type {type.Name()}"),
    };

    private static string OrtTypeName(DataType type) => type switch
    {
        DataType.Float32 => "float32",
        DataType.Float16 => "float16",
        DataType.Float64 => "float64",
        _ => type.Name(),
    };

    private static DataType FromOrtTypeName(string name) => name switch
    {
        "float32" => DataType.Float32,
        "float16" => DataType.Float16,
        "float64" => DataType.Float64,
        "int64" => DataType.Int64,
        "int32" => DataType.Int32,
        "int8" => DataType.Int8,
        "uint8" => DataType.UInt8,
        "bool" => DataType.Bool,
        _ => throw new NotSupportedException("ORT output type " + name),
    };

    private static string? FindProblem()
    {
        if (!File.Exists(Path.Combine(ToolDirectory, "node_modules", "onnxruntime-node", "package.json")))
        {
            return "tests/tools/ort/node_modules/onnxruntime-node is not installed";
        }

        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator);
        bool hasNode = path.Any(p => p.Length > 0 && (File.Exists(Path.Combine(p, "node")) || File.Exists(Path.Combine(p, "node.exe"))));
        return hasNode ? null : "'node' is not on PATH";
    }
}
