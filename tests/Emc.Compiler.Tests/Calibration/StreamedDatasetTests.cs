using Emc.Compiler.Calibration;
using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Lowering;
using Emc.Diagnostics;

namespace Emc.Compiler.Tests.Calibration;

/// <summary>
/// Issue 14 item 15: calibration samples are decoded one at a time when read, not all before calibration starts, so
/// memory stays flat in the dataset's size; every read yields the same samples in the same order.
/// </summary>
[TestClass]
public sealed class StreamedDatasetTests
{
    private static readonly Preprocessing s_unit = new([1.0 / 255], [0], false);

    private static readonly InputLayout s_layout = InputLayout.Planar(new Shape(1, 1, 2, 2));

    [TestMethod]
    public void OpeningListsFilesWithoutReadingThem()
    {
        string folder = Folder(3);
        var diagnostics = new DiagnosticBag();

        var dataset = DatasetLoader.Open(new CompileOptions { Dataset = [folder] }, s_layout, s_unit, diagnostics);
        File.WriteAllBytes(dataset.Files[2], new byte[3]);

        Assert.AreEqual(0, diagnostics.Count, "nothing is read when the dataset is opened");
        Assert.AreEqual(3, dataset.Count);
        using var samples = dataset.Read(diagnostics).GetEnumerator();
        Assert.IsTrue(samples.MoveNext());
        Assert.AreEqual(dataset.Files[0], samples.Current.Source);
        Assert.AreEqual(0, diagnostics.Count, "the broken third file is not read before it is reached");
        Assert.IsTrue(samples.MoveNext());
        Assert.IsFalse(samples.MoveNext());
        Assert.AreEqual("EMC0604", diagnostics.Single().Code);
    }

    [TestMethod]
    public void EveryReadYieldsTheSameSamplesInOrder()
    {
        foreach (var options in new[] { new CompileOptions { Dataset = [Folder(5)] }, new CompileOptions() })
        {
            var dataset = DatasetLoader.Open(options, s_layout, s_unit, new DiagnosticBag());
            var first = dataset.Read(new DiagnosticBag()).ToList();
            var second = dataset.Read(new DiagnosticBag()).ToList();
            var subset = dataset.Subset([3, 1]).Read(new DiagnosticBag()).ToList();

            Assert.AreEqual(dataset.Count, first.Count);
            CollectionAssert.AreEqual(first.Select(s => s.Source).ToList(), second.Select(s => s.Source).ToList());
            for (int i = 0; i < first.Count; i++)
            {
                CollectionAssert.AreEqual(first[i].DeviceInput, second[i].DeviceInput);
                CollectionAssert.AreEqual(first[i].ModelInput, second[i].ModelInput);
            }

            CollectionAssert.AreEqual(new[] { first[3].Source, first[1].Source }, subset.Select(s => s.Source).ToArray());
            CollectionAssert.AreEqual(first[3].DeviceInput, subset[0].DeviceInput, "a subset's sample is the same sample");
        }
    }

    [TestMethod]
    public void RandomFallbackIsTheSeededSequence()
    {
        // Without a dataset: 8 inputs whose device bytes are successive NextBytes draws of Random(1).
        var samples = DatasetLoader.Open(new CompileOptions(), s_layout, s_unit, new DiagnosticBag()).Read(new DiagnosticBag()).ToList();
        var random = new Random(1);
        Assert.AreEqual(8, samples.Count);
        foreach (var sample in samples)
        {
            var expected = new byte[4];
            random.NextBytes(expected);
            CollectionAssert.AreEqual(expected, sample.DeviceInput);
        }
    }

    [TestMethod]
    public void UnusableHeldOutSampleFailsTheBuildBeforeAnythingIsEmitted()
    {
        // 40 samples: every 4th is held out of calibration (only measure-accuracy uses it); #3 is the first of those.
        var b = new Tests.Compilation.OnnxNetBuilder("x", 1, 1, 8, 8);
        var graph = Emc.Compiler.Import.OnnxImporter.Import(b.Build(b.RandomConv("x", 1, 2, 1, new Random(3)))).Value!;
        string folder = Folder(40, 64);
        string heldOut = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ElementAt(3);
        File.WriteAllBytes(heldOut, new byte[3]);
        var log = new List<string>();

        var result = KmodelCompiler.Compile(graph, new CompileOptions { Dataset = [folder], InputRange = (0f, 1f) }, log.Add);

        Assert.IsNull(result.Kmodel);
        var error = result.Diagnostics.Single(d => d.IsError);
        Assert.AreEqual("EMC0604", error.Code);
        StringAssert.Contains(error.ToString(), Path.GetFileName(heldOut));
        Assert.IsFalse(log.Any(l => l.StartsWith("accuracy", StringComparison.Ordinal)), "failed in calibrate, before emit and measure-accuracy");
    }

    /// <summary>A folder of <paramref name="count"/> raw float32 samples of <paramref name="size"/> values (4: a [1,1,2,2] input).</summary>
    private static string Folder(int count, int size = 4)
    {
        string folder = Path.Combine(Path.GetTempPath(), "emc-stream-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        for (int i = 0; i < count; i++)
        {
            float[] values = [.. Enumerable.Range(0, size).Select(v => v == 0 ? i / 10f : 1f / v)];
            File.WriteAllBytes(Path.Combine(folder, $"s{i:D2}.f32"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }

        return folder;
    }
}
