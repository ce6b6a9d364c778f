using BenchmarkDotNet.Running;
using Emc.Benchmarks;

// Each benchmark class states its target in a comment; the figures go into the issue notes.
// Timed loops (seconds, no BenchmarkDotNet statistics) for a quick look:
//   --quick                      simulator inferences/s on the real kmodels
//   --quick --profile            simulator time per layer of mbnetv1
//   mobilenet-timing [runs]      float evaluator on MobileNetV1-0.25
//   conv-timing                  Conv2D kernels on MobileNet-like layers
//   sim-timing MODEL INPUT       simulator CPU ms per inference on one input (build/bench-runtime.sh)
//   kmodel-hashes                sha256 of every testdata model the compiler accepts (diff before/after a refactor)
// BenchmarkDotNet classes: --filter '*Name*' (add --inProcess on a loaded 2-core machine).
if (args.Contains("--quick") && args.Contains("--profile"))
{
    LayerProfile.Run(Console.Out, "maix-emc-mbnetv1", "mbnetv1.kmodel");
    return;
}

if (args.Contains("--quick"))
{
    QuickSimulatorTiming.Run(Console.Out);
    return;
}

if (args is ["sim-timing", var timedModel, var timedInput])
{
    SimulatorFileTiming.Run(Console.Out, timedModel, timedInput);
    return;
}

if (args is ["kmodel-hashes"])
{
    KmodelHashes.Run(Console.Out);
    return;
}

if (args is ["conv-timing"])
{
    ConvTiming.Run();
    return;
}

if (args is ["mobilenet-timing", ..])
{
    MobileNetTiming.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
