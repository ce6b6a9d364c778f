using System.Diagnostics;
using System.Globalization;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;

namespace Emc.Benchmarks;

/// <summary>
/// Timed CLI run (<c>dotnet run -c Release --project tests/Emc.Benchmarks -- mobilenet-timing [runs]</c>): MobileNetV1-0.25
/// 224×224, one image per run, single thread. Prints the fastest wall-clock run and the mean CPU time of the thread
/// per run, which stays meaningful on a loaded machine, plus a per-op-type breakdown. Target: &lt; 40 ms.
/// </summary>
public static class MobileNetTiming
{
    public static void Run(int runs)
    {
        string folder = BenchmarkData.Path("mobilenetv1-0.25-imagenet");
        var graph = OnnxImporter.Import(Path.Combine(folder, "model.onnx")).Value ?? throw new InvalidOperationException("import failed");
        Tensor[] input = [TensorProtoConverter.ReadFile(Path.Combine(folder, "test_data_set_0", "input_0.pb")).Value!];
        var evaluator = new ReferenceEvaluator(graph);
        for (int i = 0; i < 20; i++)
        {
            evaluator.Run(input);
        }

        double bestWall = double.MaxValue;
        var cpu = ThreadCpu();
        for (int i = 0; i < runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            evaluator.Run(input);
            bestWall = Math.Min(bestWall, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        double cpuPerRun = (ThreadCpu() - cpu).TotalMilliseconds / runs;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MobileNetV1-0.25 224x224, {runs} runs: fastest wall {bestWall:F2} ms, mean thread CPU {cpuPerRun:F2} ms/run (target < 40 ms)"));

        // Per op type: the fastest of several runs of each node on its own.
        var byOp = new Dictionary<string, double>();
        var perNode = new Dictionary<Node, double>();
        Node? current = null;
        long mark = 0;
        var observed = new ReferenceEvaluator(graph, new EvaluatorOptions
        {
            Observer = (value, _) =>
            {
                long now = Stopwatch.GetTimestamp();
                current = value.Producer;
                double ms = Stopwatch.GetElapsedTime(mark, now).TotalMilliseconds;
                perNode[current!] = perNode.TryGetValue(current!, out double old) ? Math.Min(old, ms) : ms;
                mark = Stopwatch.GetTimestamp();
            },
        });
        for (int i = 0; i < Math.Max(10, runs / 2); i++)
        {
            mark = Stopwatch.GetTimestamp();
            observed.Run(input);
        }

        foreach (var (node, ms) in perNode)
        {
            string key = node.OpType == "Conv" && node.Parameters is Emc.Compiler.Ops.ConvParameters p
                ? p.Geometry.IsDepthwise ? "Conv (depthwise)" : p.Geometry.IsPointwise ? "Conv (pointwise)" : "Conv (im2col)"
                : node.OpType;
            byOp[key] = byOp.GetValueOrDefault(key) + ms;
        }

        foreach (var (op, ms) in byOp.OrderByDescending(kv => kv.Value))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {op,-20} {ms,8:F2} ms (sum of per-node minima)"));
        }
    }

    private static TimeSpan ThreadCpu()
    {
        // Process CPU time: the evaluator is single-threaded, so this is its thread's time plus a little runtime noise.
        return Process.GetCurrentProcess().TotalProcessorTime;
    }
}
