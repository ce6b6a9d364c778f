using System.Text;
using Emc.Compiler.Analysis;
using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Tests.Import;
using Emc.Onnx.Protobuf;
using Google.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>
/// Float evaluator vs simulator, layer by layer, on the stride-2 realisations: a regular 3×3 s2 conv with
/// TF-SAME pads (stride-1 conv + CPU pick of odd coordinates) or symmetric pads (pool 5), and a depthwise
/// 3×3 s2 followed by a 1×1 conv (one-row shifted read + pool 6, or pool 5). The ONNX evaluator is the truth
/// for where stride 2 samples; a one-pixel shift would leave the SQNR near 0 dB.
/// </summary>
[TestClass]
public sealed class StridedPatternLayerTests
{
    [TestMethod]
    [DataRow(0, DisplayName = "TF-SAME pads (0,0,1,1)")]
    [DataRow(1, DisplayName = "symmetric pads (1,1,1,1)")]
    public void StrideTwoLayersFollowTheFloatModel(int padBefore)
    {
        string dir = Path.Combine(Path.GetTempPath(), "emc-strided-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string onnx = Path.Combine(dir, "model.onnx");
            File.WriteAllBytes(onnx, Model(padBefore).ToByteArray());
            var random = new Random(7);
            var samples = new List<byte[]>();
            for (int i = 0; i < 8; i++)
            {
                var pixels = new byte[3 * 32 * 32];
                random.NextBytes(pixels);
                samples.Add(pixels);
                WriteNpy(Path.Combine(dir, $"{i:D2}.npy"), pixels);
            }

            var graph = OnnxImporter.Import(onnx).Value!;
            var artifacts = KmodelCompiler.CompileWithArtifacts(graph, new CompileOptions { Dataset = [dir], InputRange = (0f, 1f) });
            Assert.IsTrue(artifacts.Result.Succeeded, string.Join(Environment.NewLine, artifacts.Result.Diagnostics));
            var model = artifacts.Model!;
            var convs = model.Layers.OfType<KpuConvLayer>().ToList();
            Assert.AreEqual(3, convs.Count);
            if (padBefore == 0)
            {
                Assert.IsTrue(model.Layers.Any(l => l is QuantizedMaxPoolLayer { Kernel: 1, Stride: 2 }), "first conv sampled by a CPU pick");
                Assert.IsTrue(convs[2] is { Pool: KpuPoolType.RightTop2S2, InputRowShift: true }, "1×1 conv reads the depthwise map one row lower with pool 6");
            }
            else
            {
                Assert.AreEqual(KpuPoolType.LeftTop2S2, convs[0].Pool);
                Assert.IsTrue(convs[2] is { Pool: KpuPoolType.LeftTop2S2, InputRowShift: false });
            }

            foreach (var sample in artifacts.Samples.Take(3))
            {
                var rows = LayerComparison.Compare(graph, model, artifacts.Kmodel!, sample);
                Console.WriteLine(LayerComparison.Format(rows));
                foreach (string value in new[] { "c1", "dw", "pw" })
                {
                    var row = rows.First(r => r.Value == value);
                    Assert.IsTrue(row.SqnrDb > 30, $"{value}: SQNR {row.SqnrDb:F1} dB");
                }

                foreach (var row in rows.Where(r => r.ArithmeticLsb is not null))
                {
                    Assert.IsTrue(row.ArithmeticLsb!.Value.Max <= 1, $"layer {row.Index} ({row.Value}): the integer pipeline differs from its float model by {row.ArithmeticLsb.Value.Max} LSB");
                }
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static ModelProto Model(int padBefore)
    {
        var random = new Random(11);
        float[] Weights(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.5) * scale)).ToArray();
        var g = new GraphProto { Name = "strided" };
        g.Input.Add(TinyModels.Float("x", 1, 3, 32, 32));
        g.Output.Add(TinyModels.Float("pw", 1, 16, 8, 8));
        g.Initializer.Add(TinyModels.FloatInitializer("w1", Weights(8 * 3 * 9, 0.8), 8, 3, 3, 3));
        g.Initializer.Add(TinyModels.FloatInitializer("b1", Weights(8, 0.2), 8));
        g.Initializer.Add(TinyModels.FloatInitializer("w2", Weights(8 * 9, 1.0), 8, 1, 3, 3));
        g.Initializer.Add(TinyModels.FloatInitializer("w3", Weights(16 * 8, 1.0), 16, 8, 1, 1));
        long[] pads = [padBefore, padBefore, 1, 1];
        var c1 = TinyModels.Node("Conv", "conv1", ["x", "w1", "b1"], ["c1pre"]);
        c1.Attribute.Add(Ints("strides", 2, 2));
        c1.Attribute.Add(Ints("pads", pads));
        c1.Attribute.Add(Ints("kernel_shape", 3, 3));
        var dw = TinyModels.Node("Conv", "dw", ["c1", "w2"], ["dwpre"]);
        dw.Attribute.Add(Ints("strides", 2, 2));
        dw.Attribute.Add(Ints("pads", pads));
        dw.Attribute.Add(Ints("kernel_shape", 3, 3));
        dw.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = 8 });
        var pw = TinyModels.Node("Conv", "pw", ["dw", "w3"], ["pwpre"]);
        pw.Attribute.Add(Ints("kernel_shape", 1, 1));
        g.Node.Add(c1);
        g.Node.Add(TinyModels.Node("Relu", "r1", ["c1pre"], ["c1"]));
        g.Node.Add(dw);
        g.Node.Add(TinyModels.Node("Relu", "r2", ["dwpre"], ["dw"]));
        g.Node.Add(pw);
        g.Node.Add(TinyModels.Node("Relu", "r3", ["pwpre"], ["pw"]));
        return TinyModels.Model(g);
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static void WriteNpy(string path, byte[] pixels)
    {
        string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 32, 32), }";
        header = header.PadRight(118) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, .. Encoding.ASCII.GetBytes("NUMPY"), 1, 0, (byte)header.Length, 0]);
        stream.Write(Encoding.ASCII.GetBytes(header));
        foreach (byte p in pixels)
        {
            stream.Write(BitConverter.GetBytes(p / 255f));
        }
    }
}
