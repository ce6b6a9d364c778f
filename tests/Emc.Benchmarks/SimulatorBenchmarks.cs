using BenchmarkDotNet.Attributes;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;

namespace Emc.Benchmarks;

/// <summary>
/// K210 simulator throughput, single thread. Target (issue 3): ≥ 10 inferences/s on Maix-EMC mbnetv1.kmodel
/// (MobileNet v1 α 0.75, 224×224). Inputs are deterministic patterns of the first layer's size.
/// </summary>
[MemoryDiagnoser]
public class SimulatorBenchmarks
{
    private KmodelSimulator _mobileNet = null!;
    private KmodelSimulator _yolo = null!;
    private byte[] _mobileNetInput = [];
    private byte[] _yoloInput = [];

    public static (KmodelSimulator Simulator, byte[] Input) Load(params string[] parts)
    {
        string path = BenchmarkData.Path(parts);
        KmodelFile model = KmodelReader.Read(File.ReadAllBytes(path), path).Value ?? throw new InvalidOperationException("unreadable " + path);
        KmodelSimulator sim = KmodelSimulator.Create(model).Value ?? throw new InvalidOperationException("not runnable " + path);
        byte[] input = new byte[sim.InputBytes];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (byte)((i * 31) ^ (i >> 8));
        }

        return (sim, input);
    }

    [GlobalSetup]
    public void Setup()
    {
        (_mobileNet, _mobileNetInput) = Load("maix-emc-mbnetv1", "mbnetv1.kmodel");
        (_yolo, _yoloInput) = Load("kmodel-v3", "nncase-v0.1.0-rc5", "20classes_yolo", "yolo.kmodel");
    }

    [Benchmark(Description = "mbnetv1.kmodel (MobileNet v1 0.75, 224x224)")]
    public SimulationResult MobileNet() => _mobileNet.Run(_mobileNetInput);

    [Benchmark(Description = "rc5 yolo.kmodel (20-class YOLOv2, 320x240)")]
    public SimulationResult Yolo() => _yolo.Run(_yoloInput);
}
