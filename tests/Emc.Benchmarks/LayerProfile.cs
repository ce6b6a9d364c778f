using System.Diagnostics;
using System.Globalization;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;

namespace Emc.Benchmarks;

/// <summary><c>--quick --profile</c>: wall time per layer over several runs (the trace callback marks layer ends).</summary>
public static class LayerProfile
{
    public static void Run(TextWriter output, params string[] parts)
    {
        var (plain, input) = SimulatorBenchmarks.Load(parts);
        KmodelFile model = plain.Model;
        double[] ms = new double[model.Layers.Count];
        var watch = new Stopwatch();
        long last = 0;
        var options = new SimulatorOptions
        {
            Trace = (index, _, _) =>
            {
                long now = watch.ElapsedTicks;
                ms[index] += (now - last) * 1000.0 / Stopwatch.Frequency;
                last = watch.ElapsedTicks;
            },
        };
        KmodelSimulator sim = KmodelSimulator.Create(model, options).Value!;
        sim.Run(input);
        Array.Clear(ms);
        const int Runs = 10;
        for (int r = 0; r < Runs; r++)
        {
            watch.Restart();
            last = 0;
            sim.Run(input);
        }

        for (int i = 0; i < ms.Length; i++)
        {
            string shape = model.Layers[i].Body is K210ConvBody c
                ? string.Create(CultureInfo.InvariantCulture,
                    $"{c.Registers.IChNum + 1}x{c.Registers.IColHigh + 1}x{c.Registers.IRowWid + 1} -> {c.Registers.OChNum + 1} k{c.Registers.KernelSize} pool{c.Registers.PoolType}{(c.Registers.DepthWiseLayer ? " dw" : "")}")
                : model.Layers[i].Body.Type.ToString();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i,3} {ms[i] / Runs,8:F2} ms  {shape}"));
        }
    }
}
