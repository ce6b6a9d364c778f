using BenchmarkDotNet.Running;
using Emc.Benchmarks;

// Each benchmark class states its target in a comment; the figures go into the issue notes.
// --quick: timed loops only (seconds), no BenchmarkDotNet statistics; --quick --profile: time per layer.
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

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
