using System.Text.Json;
using Emc.Compiler.Compilation;
using Emc.Kmodel;
using Emc.Tests;

namespace Emc.Compiler.Tests.K210;

/// <summary>
/// Spec §7.4 / A.2: with b = arg/2^shr, every conv satisfies arg_add = round(b_w·b_x·k²) and pad_value = −b_x
/// (padding is real zero). Checked on the real kmodels of the test data (our understanding of nncase) and on
/// convs we emit.
/// </summary>
[TestClass]
public sealed class ConvOffsetRelationTests
{
    [TestMethod]
    public void RealKmodelsSatisfyTheOffsetRelations()
    {
        string root = TestData.Path("kmodel-v3");
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "index.json")));
        int exact = 0, approximate = 0;
        foreach (var entry in index.RootElement.GetProperty("files").EnumerateArray())
        {
            if (entry.GetProperty("format").GetString() != "kmodel v3")
            {
                continue;
            }

            string path = Path.Combine(Path.GetDirectoryName(root)!, entry.GetProperty("file").GetString()!);
            var file = KmodelReader.Read(File.ReadAllBytes(path)).Value;
            Assert.IsNotNull(file, path);
            foreach (var conv in file.Layers.Select(l => l.Body).OfType<K210ConvBody>())
            {
                var r = conv.Registers;
                double bw = r.ArgX / Math.Pow(2, r.ShrX), bx = r.ArgW / Math.Pow(2, r.ShrW);
                int k2 = r.KernelType == 1 ? 9 : 1;
                bool nncase = r.ShrX is 0 or 15 && r.ShrW is 0 or 15 && bw == Math.Round(bw) && bx == Math.Round(bx);
                string where = $"{entry.GetProperty("file").GetString()}: arg_add {r.ArgAdd}, b_w {bw}, b_x {bx}, k² {k2}, pad {r.PadValue}";
                if (nncase)
                {
                    Assert.AreEqual((long)Math.Round(bw * bx * k2), r.ArgAdd, where);
                    Assert.AreEqual(-bx, (double)r.PadValue, where);
                    exact++;
                }
                else
                {
                    // Maix-EMC's fractional offsets follow its own scheme (e.g. cifar10: b_x = −441.12, pad 185); the
                    // relation is a claim about nncase only.
                    approximate++;
                }
            }
        }

        Console.WriteLine($"{exact} convs with integer offsets (exact), {approximate} with fractional (Maix-EMC) offsets, not checked");
        Assert.IsGreaterThanOrEqualTo(146, exact, "spec A.2: 146 nncase-built convs");
    }

    [TestMethod]
    public void EmittedConvsSatisfyTheOffsetRelations()
    {
        string onnx = TestData.Path("mobilenetv1-0.25-imagenet", "model.onnx");
        string image = TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset", "tiger224.bmp");
        var result = KmodelCompiler.Compile(onnx, new CompileOptions { Dataset = [image], InputRange = (-1f, 1f) });
        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        var convs = KmodelReader.Read(result.Kmodel!).Value!.Layers.Select(l => l.Body).OfType<K210ConvBody>().ToList();
        Assert.AreEqual(27, convs.Count);
        foreach (var conv in convs)
        {
            var r = conv.Registers;
            double bw = r.ArgX / Math.Pow(2, r.ShrX), bx = r.ArgW / Math.Pow(2, r.ShrW);
            int k2 = r.KernelType == 1 ? 9 : 1;
            Assert.AreEqual(Math.Round(bw * bx * k2, MidpointRounding.ToEven), r.ArgAdd);

            // The first conv's input (range −1..1) has b_x = −127.5: pad_value 128 is the nearest code to real zero.
            Assert.AreEqual(Math.Round(-bx, MidpointRounding.ToEven), r.PadValue);
        }

        Assert.AreEqual(-127.5, convs[0].Registers.ArgW / Math.Pow(2, convs[0].Registers.ShrW));
    }
}
