using System.Globalization;
using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;
using Emc.Tests;

namespace Emc.Compiler.Tests.CodeGen;

/// <summary>
/// Issue 16 item 8 on real trained models whose tail <c>--tail auto</c> cuts (real-zoo): the generated C and C# tails, fed
/// the float evaluator's values of the cut tensors on the stored inputs, reproduce the whole model's outputs (evaluator
/// and stored ONNX Runtime outputs); and end to end, the header's <c>&lt;id&gt;_run</c> (C runtime) + <c>&lt;id&gt;_tail</c>
/// and the wrapper's <c>DeviceOutputs</c> + <c>Tail</c> match ONNX Runtime within the device part's quantization error.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Slow)]
public sealed class TailRealZooTests
{
    private static readonly Dictionary<string, CompileOptions> s_options = new(StringComparer.Ordinal)
    {
        // Its own (x/255 − 0.1307)/0.3081 (a fractional zero point, folded into the unpadded first conv).
        ["burn-mnist"] = new() { Mean = [0.1307f], Std = [0.3081f] },
        // The MTCNN nets compile whole (per-channel PRelu; P-Net's pairwise Softmax as σ(a − b) on the device). seeta's tail
        // holds its box decode's constant output and the Softmax over [1496, 2].
        ["seeta-face-detector"] = new() { Mean = [0.48235294f, 0.45882353f, 0.40784314f], Std = [0.0039215686f] },
        ["yunet-120x160"] = new() { InputRange = (0f, 255f) },
        // MobileNetV3 with squeeze-excitation (a product of two run-time tensors the KPU cannot form) cut at the first SE:
        // the tail holds the rest of the backbone, and the recogniser's two bidirectional LSTMs and CTC softmax.
        ["ppocr-cls-mobile-v2"] = new() { InputRange = (-1f, 1f), ChannelOrder = ChannelOrder.Bgr },
        ["ppocr-rec-en-number"] = new() { InputRange = (-1f, 1f), ChannelOrder = ChannelOrder.Bgr },
    };

    private static readonly Dictionary<string, Lazy<(CompileResult Result, GeneratedModel Model)>> s_compiled =
        s_options.Keys.ToDictionary(n => n, n => new Lazy<(CompileResult, GeneratedModel)>(() => Compile(n)), StringComparer.Ordinal);

    [TestMethod]
    [DataRow("burn-mnist")]
    [DataRow("seeta-face-detector")]
    [DataRow("yunet-120x160")]
    [DataRow("ppocr-cls-mobile-v2")]
    [DataRow("ppocr-rec-en-number")]
    public void TailOnTheFloatCutReproducesOnnxRuntime(string name)
    {
        var (result, model) = s_compiled[name].Value;
        var graph = Import(name);
        var own = graph.Nodes.Select(n => (n.Name, n.OpType)).ToHashSet();
        Assert.IsEmpty(result.Tail!.Nodes.Where(n => !own.Contains((n.Name, n.OpType))).Select(n => n.ToString()).ToList(),
            "the tail holds the model's own nodes, not the device's realisations of them");
        var runs = new List<TailRun>();
        var evaluator = new List<List<float[]>>();
        var ort = new List<List<float[]>>();
        foreach (string set in Sets(name))
        {
            var captured = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var observing = new ReferenceEvaluator(graph, new EvaluatorOptions { Observer = (v, t) => captured[v.Name] = t.ToFloatArray() });
            var x = TensorProtoConverter.ReadFile(Path.Combine(set, "input_0.pb")).Value!;
            if (!x.Shape.Equals(graph.Inputs[0].Shape))
            {
                continue; // P-Net's second photo is another pyramid size than the one compiled
            }

            evaluator.Add(observing.Run(x).Select(t => t.ToFloatArray()).ToList());
            ort.Add(Enumerable.Range(0, graph.Outputs.Count).Select(o => TensorProtoConverter.ReadFile(Path.Combine(set, $"output_{o}.pb")).Value!.ToFloatArray()).ToList());
            float[] cut = result.Interface!.Outputs.SelectMany(o => captured[o.Name]).ToArray();
            runs.Add(new TailRun(Id(name) + "_" + runs.Count.ToString(CultureInfo.InvariantCulture), model with { Identifier = Id(name) + "_" + runs.Count.ToString(CultureInfo.InvariantCulture) }, cut));
        }

        var c = TailHarness.RunC(runs);
        var cs = TailHarness.RunCSharp(runs);
        for (int r = 0; r < runs.Count; r++)
        {
            for (int o = 0; o < graph.Outputs.Count; o++)
            {
                double[] want = evaluator[r][o].Select(v => (double)v).ToArray();
                TailHarness.AssertClose(want, c[r][o], $"{name} set {r} output {o}: C tail vs evaluator");
                TailHarness.AssertClose(want, cs[r][o], $"{name} set {r} output {o}: C# tail vs evaluator");
                double error = MaxRelativeError(ort[r][o], c[r][o]);
                Console.WriteLine($"{name} set {r} output {graph.Outputs[o].Name}: C tail on the float cut vs ORT: max |Δ| / max|ORT| = {error:E2}");
                Assert.IsLessThan(1e-4, error, $"{name} output {o} vs ONNX Runtime");
            }
        }
    }

    [TestMethod]
    [DataRow("yunet-120x160")]
    public void HeaderAndWrapperRunTheWholeModelWithinTheDevicePartsQuantizationError(string name)
    {
        var (result, model) = s_compiled[name].Value;
        var graph = Import(name);
        var simulator = KmodelSimulator.Create(KmodelReader.Read(result.Kmodel!).Value!).Value!;
        var input = result.Interface!.Inputs[0];
        var runs = new List<TailRun>();
        var ort = new List<List<float[]>>();
        var deviceDb = new List<double>();
        foreach (string set in Sets(name))
        {
            var x = TensorProtoConverter.ReadFile(Path.Combine(set, "input_0.pb")).Value!;
            byte[] bytes = x.ToFloatArray().Select(v => (byte)Math.Clamp(Math.Round((v - input.Bias) / input.Scale), 0, 255)).ToArray();
            var captured = new Dictionary<string, float[]>(StringComparer.Ordinal);
            new ReferenceEvaluator(graph, new EvaluatorOptions { Observer = (v, t) => captured[v.Name] = t.ToFloatArray() }).Run(x);
            var device = simulator.Run(bytes).Outputs;
            deviceDb.AddRange(result.Interface.Outputs.Select((o, i) => Sqnr(captured[o.Name], device[i].AsFloat32()!)));
            ort.Add(Enumerable.Range(0, graph.Outputs.Count).Select(o => TensorProtoConverter.ReadFile(Path.Combine(set, $"output_{o}.pb")).Value!.ToFloatArray()).ToList());
            string id = Id(name) + "_e2e" + runs.Count.ToString(CultureInfo.InvariantCulture);
            runs.Add(new TailRun(id, model with { Identifier = id }, [], bytes));
        }

        var c = TailHarness.RunC(runs);
        var cs = TailHarness.RunCSharp(runs);
        double devicePart = deviceDb.Min();
        for (int r = 0; r < runs.Count; r++)
        {
            for (int o = 0; o < graph.Outputs.Count; o++)
            {
                TailHarness.AssertClose(c[r][o], cs[r][o], $"{name} set {r} output {o}: C runtime + C tail vs simulator + C# tail");
                double db = Sqnr(ort[r][o], c[r][o].Select(v => (float)v).ToArray());
                Console.WriteLine($"{name} set {r} output {graph.Outputs[o].Name}: whole model (C runtime + C tail) vs ORT {db:F1} dB; device part vs float {devicePart:F1} dB");
                Assert.IsGreaterThanOrEqualTo(devicePart - 3, db, $"{name} output {o}: the tail must not add error beyond the device part's");
            }
        }
    }

    /// <summary>PaddleOCR's recogniser, device part simulated and tail (backbone rest, two bidirectional LSTMs, CTC softmax)
    /// on the host: the greedy CTC decoding of its output reads the same symbols as ONNX Runtime's on both stored images.</summary>
    [TestMethod]
    public void PaddleOcrRecogniserWithItsTailReadsTheSameTextAsOnnxRuntime()
    {
        const string Name = "ppocr-rec-en-number";
        var (result, _) = s_compiled[Name].Value;
        var simulator = KmodelSimulator.Create(KmodelReader.Read(result.Kmodel!).Value!).Value!;
        var input = result.Interface!.Inputs[0];
        var outputs = result.Interface.Outputs.ToList();
        int compared = 0;
        foreach (string set in Sets(Name))
        {
            var x = TensorProtoConverter.ReadFile(Path.Combine(set, "input_0.pb")).Value!;
            float[] v = x.ToFloatArray();
            int plane = v.Length / 3;
            var bytes = new byte[v.Length];
            for (int c = 0; c < 3; c++)
            {
                for (int i = 0; i < plane; i++)
                {
                    bytes[(c * plane) + i] = (byte)Math.Clamp(Math.Round((v[((2 - c) * plane) + i] - input.Bias) / input.Scale), 0, 255); // BGR planes
                }
            }

            var device = simulator.Run(bytes).Outputs;
            var cut = result.Tail!.InputValues.Select(value => Tensor.Create(value.Shape!, device[outputs.FindIndex(o => o.Name == value.Name)].AsFloat32()!)).ToList();
            float[] ours = TailEvaluator.Run(result.Tail, cut)[0].ToFloatArray();
            var ort = TensorProtoConverter.ReadFile(Path.Combine(set, "output_0.pb")).Value!;
            int symbols = ort.Shape[ort.Shape.Rank - 1];
            string want = CtcGreedy(ort.ToFloatArray(), symbols), got = CtcGreedy(ours, symbols);
            Console.WriteLine($"{Name} {Path.GetFileName(set)}: ONNX Runtime reads [{want}], the compiled model with its tail [{got}]");
            Assert.IsGreaterThan(10, want.Split(',').Length, "the stored image holds a text line");
            Assert.AreEqual(want, got);
            compared++;
        }

        Assert.AreEqual(2, compared);
    }

    /// <summary>Best symbol per step, repeats merged, blanks (0) dropped; symbol indices joined by commas.</summary>
    private static string CtcGreedy(float[] probabilities, int symbols)
    {
        var text = new List<int>();
        int previous = -1;
        for (int t = 0; t < probabilities.Length / symbols; t++)
        {
            int best = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(probabilities.AsSpan(t * symbols, symbols));
            if (best != previous && best != 0)
            {
                text.Add(best);
            }

            previous = best;
        }

        return string.Join(",", text);
    }

    private static (CompileResult, GeneratedModel) Compile(string name)
    {
        var stored = TensorProtoConverter.ReadFile(TestData.Path("real-zoo", name, "test_data_set_0", "input_0.pb")).Value!;
        var options = s_options[name] with
        {
            AutoTail = true,
            Dataset = [TestData.Path("real-zoo", "images")],
            InputShapes = new Dictionary<string, int[]>(StringComparer.Ordinal) { [InputName(name)] = stored.Shape.ToArray() },
        };
        var result = KmodelCompiler.Compile(TestData.Path("real-zoo", name, "model.onnx"), options);
        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.IsNotNull(result.Tail, string.Join(Environment.NewLine, result.Diagnostics));
        Assert.IsTrue(result.Diagnostics.Any(d => d.Code == CompilerDiagnostics.TailCode.Code && d.Message.Contains("_tail", StringComparison.Ordinal)));
        var model = GeneratedModelReader.Describe(Id(name), name + ".onnx", result.Kmodel!, result.Interface!, result.Report).Value!;
        return (result, model with { Tail = result.Tail });
    }

    private static Ir.Graph Import(string name)
    {
        var stored = TensorProtoConverter.ReadFile(TestData.Path("real-zoo", name, "test_data_set_0", "input_0.pb")).Value!;
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal) { [InputName(name)] = stored.Shape.ToArray() };
        return OnnxImporter.Import(TestData.Path("real-zoo", name, "model.onnx"), new ImportOptions { InputShapes = shapes }).Value!;
    }

    private static string InputName(string name) =>
        Emc.Onnx.Protobuf.ModelProto.Parser.ParseFrom(File.ReadAllBytes(TestData.Path("real-zoo", name, "model.onnx"))).Graph.Input[0].Name;

    private static IEnumerable<string> Sets(string name) =>
        Directory.GetDirectories(TestData.Path("real-zoo", name), "test_data_set_*").Order(StringComparer.Ordinal);

    private static string Id(string name) => CodeIdentifiers.Sanitize(name);

    private static double MaxRelativeError(float[] want, double[] got)
    {
        Assert.HasCount(want.Length, got);
        double scale = want.Max(v => Math.Abs((double)v));
        return want.Select((w, i) => Math.Abs(got[i] - w)).Max() / scale;
    }

    private static double Sqnr(float[] want, float[] got)
    {
        double signal = 0, noise = 0;
        for (int i = 0; i < want.Length; i++)
        {
            signal += (double)want[i] * want[i];
            noise += ((double)want[i] - got[i]) * ((double)want[i] - got[i]);
        }

        return noise == 0 ? double.PositiveInfinity : 10 * Math.Log10(signal / noise);
    }
}
