using Emc.Build.Tool;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;
using Emc.Kmodel;
using Emc.Onnx;

namespace Emc.Build.FakeCompiler;

/// <summary>
/// Deterministic stand-in for the ONNX → kmodel compiler: reads the ONNX graph, reports every node whose op is not in
/// a small "supported" set (EMC0101 with node, op and opset, all at once), and otherwise emits a valid kmodel v3 with
/// one FULLY_CONNECTED layer whose weights derive from a hash of the model bytes and options, so any change of
/// either changes the output. Appends one line per call to $EMC_FAKE_COMPILER_LOG (tests count compilations).
/// A model named by $EMC_FAKE_COMPILER_HANG never finishes: the log gets "&lt;name&gt; hangs pid=&lt;tool's pid&gt;"
/// and the tool waits to be killed (the cancellation tests cancel the build at that point).
/// </summary>
internal sealed class FakeModelCompiler : IModelCompiler
{
    private static readonly HashSet<string> s_supported =
        ["Conv", "Relu", "Clip", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Gemm", "MatMul", "Add", "Softmax", "Reshape", "BatchNormalization"];

    public CompileResult Compile(string onnxPath, CompileOptions options)
    {
        if (Environment.GetEnvironmentVariable("EMC_FAKE_COMPILER_LOG") is { Length: > 0 } log)
        {
            File.AppendAllText(log, Path.GetFileName(onnxPath) + "\n");
            if (Environment.GetEnvironmentVariable("EMC_FAKE_COMPILER_HANG") == Path.GetFileName(onnxPath))
            {
                File.AppendAllText(log, $"{Path.GetFileName(onnxPath)} hangs pid={Environment.ProcessId}\n");
                Thread.Sleep(Timeout.Infinite);
            }
        }

        var loaded = OnnxModelLoader.Load(onnxPath);
        if (loaded.Value?.Graph is not { } graph)
        {
            return new CompileResult(null, null, null, loaded.Diagnostics);
        }

        long opset = loaded.Value.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        var diagnostics = graph.Node.Where(n => !s_supported.Contains(n.OpType))
            .Select(n => OnnxDiagnostics.UnsupportedOperator.Create(
                $"node '{n.Name}': operator {n.OpType} (opset {opset}) is not supported", onnxPath, n.Name, n.OpType))
            .ToList();
        if (diagnostics.Count > 0)
        {
            return new CompileResult(null, null, null, diagnostics);
        }

        var initializers = graph.Initializer.Select(i => i.Name).ToHashSet();
        var input = graph.Input.First(i => !initializers.Contains(i.Name));
        var output = graph.Output[0];
        int[] inShape = Shape(input);
        int[] outShape = Shape(output);
        int inCount = inShape.Aggregate(1, (a, d) => a * d);
        int outCount = outShape.Aggregate(1, (a, d) => a * d);

        byte[] seed = System.Security.Cryptography.SHA256.HashData(
            [.. File.ReadAllBytes(onnxPath), .. System.Text.Encoding.UTF8.GetBytes(options.ToString())]);
        var weights = new float[inCount * outCount];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = (seed[i % seed.Length] - 128) / 1024f;
        }

        var body = new FullyConnectedBody(0, (uint)(inCount * 4), (uint)inCount, (uint)outCount, 0, weights, new float[outCount]);
        uint size = (uint)(FullyConnectedBody.FixedSize + 4 * (weights.Length + outCount));
        size += (uint)((8 - ((44 + size) % 8)) % 8);
        uint mainMemory = (uint)((inCount + outCount) * 4);
        var file = new KmodelFile(
            new KmodelHeader(3, 1, 0, 32768, mainMemory),
            [new KmodelOutput((uint)(inCount * 4), (uint)(outCount * 4))],
            [new KmodelLayer(body, size)]);
        byte[] kmodel = KmodelWriter.Write(file);
        float range = options.InputRange is { } r ? r.High - r.Low : 1f;
        var modelInterface = new ModelInterface(
            [new TensorInterface(input.Name, inShape, InterfaceElementType.UInt8, range / 255f, options.InputRange?.Low ?? 0f)],
            [new TensorInterface(output.Name, outShape, InterfaceElementType.Float32, 1f, 0f)]);
        // Like the real compiler: no dataset → a warning (the build tests check it is shown and replayed).
        Diagnostic[] warnings = options.Dataset.Count == 0
            ? [CompilerDiagnostics.DatasetMissing.Create("no calibration dataset given: activation ranges come from random inputs; pass --dataset with representative inputs for a usable model")]
            : [];
        return new CompileResult(kmodel, modelInterface, null, warnings);
    }

    private static int[] Shape(Emc.Onnx.Protobuf.ValueInfoProto value) =>
        value.Type.TensorType.Shape.Dim.Select(d => d.HasDimValue ? (int)d.DimValue : 1).ToArray();
}
