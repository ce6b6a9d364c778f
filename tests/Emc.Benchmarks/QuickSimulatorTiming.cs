using System.Diagnostics;
using System.Globalization;

namespace Emc.Benchmarks;

/// <summary><c>--quick</c>: a few seconds of timed runs per model, printing inferences/s (no BenchmarkDotNet statistics).</summary>
public static class QuickSimulatorTiming
{
    public static void Run(TextWriter output)
    {
        Measure(output, "mbnetv1.kmodel", "maix-emc-mbnetv1", "mbnetv1.kmodel");
        Measure(output, "rc5 yolo.kmodel", "kmodel-v3", "nncase-v0.1.0-rc5", "20classes_yolo", "yolo.kmodel");
    }

    private static void Measure(TextWriter output, string name, params string[] parts)
    {
        var (sim, input) = SimulatorBenchmarks.Load(parts);
        for (int i = 0; i < 3; i++)
        {
            sim.Run(input); // warm-up (JIT tiering, scratch buffers)
        }

        int runs = 0;
        using var process = Process.GetCurrentProcess();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < 3 || runs < 5)
        {
            sim.Run(input);
            runs++;
        }

        double seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        double cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;

        // On a shared machine wall time includes waiting for a core; CPU time is what the simulator itself costs.
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {runs / seconds:F1} inferences/s wall ({seconds * 1000 / runs:F1} ms), {runs / cpuSeconds:F1} inferences/s CPU ({cpuSeconds * 1000 / runs:F1} ms), {runs} runs, single thread, load average {LoadAverage()}"));
    }

    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
