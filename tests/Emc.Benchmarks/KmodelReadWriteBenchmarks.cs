using BenchmarkDotNet.Attributes;
using Emc.Kmodel;

namespace Emc.Benchmarks;

/// <summary>
/// Target: reading + validating the largest real kmodel (mbnetv1, 2.6 MB, 36 layers) and writing it back
/// each take well under 10 ms — a kmodel is read on every `emc inspect`/simulate and in every build.
/// </summary>
[MemoryDiagnoser]
public class KmodelReadWriteBenchmarks
{
    private byte[] _bytes = [];
    private KmodelFile _model = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bytes = File.ReadAllBytes(BenchmarkData.Path("maix-emc-mbnetv1", "mbnetv1.kmodel"));
        _model = KmodelReader.Read(_bytes).Value!;
    }

    [Benchmark]
    public KmodelFile? ReadMbnetV1() => KmodelReader.Read(_bytes).Value;

    [Benchmark]
    public byte[] WriteMbnetV1() => KmodelWriter.Write(_model);
}
