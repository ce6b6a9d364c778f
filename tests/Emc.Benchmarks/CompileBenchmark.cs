using BenchmarkDotNet.Attributes;
using Emc.Compiler.Compilation;

namespace Emc.Benchmarks;

/// <summary>
/// Warm in-process compile of MobileNetV1-0.25 (input range −1..1) with 16 calibration JPEGs: import, lower,
/// calibrate, quantize, plan, emit, validate and the 16-sample simulated accuracy check. Target: &lt; 10 s.
/// Run: dotnet run -c Release --project tests/Emc.Benchmarks -- --filter '*CompileBenchmark*' --inProcess
/// Cold CLI: tests/Emc.Benchmarks/compile-cold.sh.
/// </summary>
[MemoryDiagnoser]
public class CompileBenchmark
{
    private string _onnx = null!;
    private List<string> _dataset = null!;

    [GlobalSetup]
    public void Setup()
    {
        _onnx = Path.Combine(BenchmarkData.Path("mobilenetv1-0.25-imagenet"), "model.onnx");
        _dataset = Directory.GetFiles(Path.Combine(BenchmarkData.Path("maix-emc-mbnetv1"), "mbnetv1_dataset"), "*.JPEG")
            .Order(StringComparer.Ordinal).Take(16).ToList();
    }

    [Benchmark]
    public int MobileNetV1_025_16Images()
    {
        var result = KmodelCompiler.Compile(_onnx, new CompileOptions { Dataset = _dataset, InputRange = (-1f, 1f) });
        return result.Kmodel?.Length ?? throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics));
    }
}
