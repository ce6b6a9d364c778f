extern alias tasks;

using tasks::Emc.Build.Tasks;
using Emc.Build.Tool;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tests.Tasks;

/// <summary>EmcModel metadata → CompileOptions (the options stamp: <see cref="OptionsStampTests"/>).</summary>
[TestClass]
public sealed class ModelOptionsParserTests
{
    [TestMethod]
    public void MetadataBecomesCompileOptions()
    {
        var item = new TaskItem("models/net.onnx");
        item.SetMetadata("InputRange", "-1,1");
        item.SetMetadata("ChannelOrder", "bgr");
        item.SetMetadata("WeightBits", "16");
        item.SetMetadata("Calibration", "mse");
        item.SetMetadata("FullyConnected", "kpu");
        item.SetMetadata("MaxCalibrationSamples", "12");
        item.SetMetadata("ActivationRanges", "perchannel");
        item.SetMetadata("WeightRounding", "errorfeedback");
        item.SetMetadata("FineActivations", "80");
        var diagnostics = new DiagnosticBag();

        var o = ModelOptionsParser.Parse(item.AsToolModel(), ["calib/a.bmp"], "/p/models/net.onnx", diagnostics);

        Assert.IsFalse(diagnostics.HasErrors, string.Join("\n", diagnostics));
        Assert.AreEqual((-1f, 1f), o.InputRange);
        Assert.AreEqual(ChannelOrder.Bgr, o.ChannelOrder);
        Assert.AreEqual(16, o.WeightBits);
        Assert.AreEqual(CalibrationMethod.Mse, o.Calibration);
        Assert.AreEqual(FullyConnectedTarget.Kpu, o.FullyConnected);
        Assert.AreEqual(12, o.MaxCalibrationSamples);
        Assert.AreEqual(ActivationRanges.PerChannel, o.ActivationRanges);
        Assert.AreEqual(WeightRounding.ErrorFeedback, o.WeightRounding);
        Assert.AreEqual(80, o.FineActivationsPercent);
    }

    [TestMethod]
    [DataRow("FullyConnected", "gpu")]
    [DataRow("WeightBits", "4")]
    [DataRow("Calibration", "best")]
    [DataRow("ActivationRanges", "both")]
    [DataRow("WeightRounding", "gptq")]
    [DataRow("FineActivations", "lots")]
    public void BadMetadataIsACodedErrorNamingTheMetadata(string name, string value)
    {
        var item = new TaskItem("models/net.onnx");
        item.SetMetadata(name, value);
        var diagnostics = new DiagnosticBag();

        ModelOptionsParser.Parse(item.AsToolModel(), [], "/p/models/net.onnx", diagnostics);

        var error = diagnostics.Single(d => d.IsError);
        StringAssert.StartsWith(error.Code, "EMC08");
        StringAssert.Contains(error.Message, name);
        StringAssert.Contains(error.Message, value);
    }
}
