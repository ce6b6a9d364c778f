using System.Diagnostics;
using System.Globalization;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;

namespace Emc.Benchmarks;

/// <summary><c>sim-timing MODEL INPUT</c>: CPU ms per simulator inference of a kmodel file on an input file (build/bench-runtime.sh compares it with the C runtime).</summary>
public static class SimulatorFileTiming
{
    public static void Run(TextWriter output, string model, string input)
    {
        var simulator = KmodelSimulator.Create(KmodelReader.ReadFile(model).Value!).Value!;
        byte[] bytes = File.ReadAllBytes(input);
        for (int i = 0; i < 3; i++)
        {
            simulator.Run(bytes); // warm-up (JIT tiering, scratch buffers)
        }

        using var process = Process.GetCurrentProcess();
        TimeSpan before = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        int runs = 0;
        while (watch.Elapsed.TotalSeconds < 3 || runs < 5)
        {
            simulator.Run(bytes);
            runs++;
        }

        process.Refresh();
        double cpuMs = (process.TotalProcessorTime - before).TotalMilliseconds / runs;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cpuMs:F3} ms per inference (CPU, {runs} runs)"));
    }
}
