using BenchmarkDotNet.Attributes;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;

namespace Emc.Benchmarks;

/// <summary>Float reference evaluator on MobileNetV1-0.25 224×224, one image, single thread. Target: &lt; 40 ms.</summary>
[MemoryDiagnoser]
public class MobileNetBenchmark
{
    private ReferenceEvaluator _evaluator = null!;
    private Tensor[] _input = null!;

    [GlobalSetup]
    public void Setup()
    {
        string folder = BenchmarkData.Path("mobilenetv1-0.25-imagenet");
        var graph = OnnxImporter.Import(Path.Combine(folder, "model.onnx")).Value
            ?? throw new InvalidOperationException("MobileNet did not import");
        _evaluator = new ReferenceEvaluator(graph);
        _input = [TensorProtoConverter.ReadFile(Path.Combine(folder, "test_data_set_0", "input_0.pb")).Value!];
    }

    [Benchmark]
    public Tensor MobileNetV1_025_224() => _evaluator.Run(_input)[0];
}
