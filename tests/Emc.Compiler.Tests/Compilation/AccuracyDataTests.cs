using System.Text;
using Emc.Compiler.Calibration;
using Emc.Compiler.Compilation;
using Emc.Compiler.Import;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>Every accuracy figure says what data it was measured on; large datasets are measured on held-out samples.</summary>
[TestClass]
public sealed class AccuracyDataTests
{
    [TestMethod]
    public void LargeDatasetHoldsEveryKthSampleOutOfCalibration()
    {
        var samples = Fake(40);
        var (calibration, accuracy, data) = HeldOutSplit.Split(samples, fromDataset: true);
        Assert.AreEqual(AccuracyData.HeldOutSamples, data);
        CollectionAssert.AreEqual(new[] { "3", "7", "11", "15", "19", "23", "27", "31", "35", "39" }, accuracy.Select(s => s.Source).ToArray(), "every 4th sample");
        Assert.AreEqual(30, calibration.Count);
        Assert.IsFalse(calibration.Intersect(accuracy).Any(), "no sample both calibrates and measures");

        var (big, held, _) = HeldOutSplit.Split(Fake(256), fromDataset: true);
        Assert.AreEqual(16, held.Count, "at most 16 held out");
        Assert.AreEqual(240, big.Count);
        Assert.AreEqual("15", held[0].Source, "k = ⌈256 / 16⌉ = 16");
    }

    [TestMethod]
    public void SmallDatasetOrNoDatasetIsMeasuredOnWhatCalibrated()
    {
        var (calibration, accuracy, data) = HeldOutSplit.Split(Fake(31), fromDataset: true);
        Assert.AreEqual(AccuracyData.CalibrationSamples, data);
        Assert.AreEqual(31, calibration.Count);
        Assert.AreEqual(16, accuracy.Count);

        Assert.AreEqual(AccuracyData.SyntheticInputs, HeldOutSplit.Split(Fake(8), fromDataset: false).Data);
    }

    [TestMethod]
    public void WithoutDatasetEveryReportFormSaysSynthetic()
    {
        var graph = OnnxImporter.Import(SmallNet()).Value!;
        var result = KmodelCompiler.Compile(graph, new CompileOptions { InputRange = (0f, 1f) });
        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        var report = result.Report!;
        Assert.AreEqual(AccuracyData.SyntheticInputs, report.Accuracy[0].Data);
        StringAssert.Contains(CompileReportFormat.ToTable(report), "synthetic random inputs (no dataset given)");
        StringAssert.Contains(Encoding.UTF8.GetString(CompileReportFormat.ToJson(report)), "\"data\": \"synthetic\"");
        StringAssert.Contains(CompileReportHtml.ToHtmlString(report), "synthetic random inputs");
    }

    [TestMethod]
    public void DatasetOf40IsMeasuredOnTenHeldOutSamples()
    {
        var artifacts = CompiledNet.CompileArtifacts(SmallNet(), CompiledNet.RandomSamples(40, 3 * 64, 11));
        Assert.IsTrue(artifacts.Result.Succeeded, string.Join(Environment.NewLine, artifacts.Result.Diagnostics));
        var accuracy = artifacts.Result.Report!.Accuracy[0];
        Assert.AreEqual(AccuracyData.HeldOutSamples, accuracy.Data);
        Assert.AreEqual(10, accuracy.Samples);
        Assert.AreEqual(30, artifacts.Samples.Count, "calibration saw the other 30");
        Assert.AreEqual(30, artifacts.Result.Report!.CalibrationSamples, "and the report counts them");
        StringAssert.Contains(CompileReportFormat.ToTable(artifacts.Result.Report!), "10 held-out dataset samples not used to calibrate");

        var small = CompiledNet.CompileArtifacts(SmallNet(), CompiledNet.RandomSamples(5, 3 * 64, 11));
        StringAssert.Contains(CompileReportFormat.ToTable(small.Result.Report!), "measured on the calibration samples");
    }

    private static Onnx.Protobuf.ModelProto SmallNet()
    {
        var b = new OnnxNetBuilder("x", 1, 3, 8, 8);
        var random = new Random(5);
        var w = Enumerable.Range(0, 4 * 3 * 9).Select(_ => (float)(random.NextDouble() - 0.5) * 0.4f).ToArray();
        return b.Build(b.Conv("x", w, [0.1f, -0.1f, 0.05f, 0f], 4, 3, 3, 1, [1, 1, 1, 1]));
    }

    private static List<CalibrationSample> Fake(int n) =>
        Enumerable.Range(0, n).Select(i => new CalibrationSample(i.ToString(System.Globalization.CultureInfo.InvariantCulture), [], [])).ToList();
}
