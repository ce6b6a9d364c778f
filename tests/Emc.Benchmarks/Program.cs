using BenchmarkDotNet.Running;
using Emc.Benchmarks;

// Each benchmark class states its target in a comment; the figures go into the issue notes.
if (args is ["mobilenet-timing", ..])
{
    MobileNetTiming.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50);
    return;
}

// --quick: timed loops only (seconds), no BenchmarkDotNet statistics.
if (args.Contains("--quick"))
{
    QuickSimulatorTiming.Run(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
