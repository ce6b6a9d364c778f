extern alias tasks;

using tasks::Emc.Build.Tasks;
using Emc.Build.Tool;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tests.Tasks;

/// <summary>
/// The task validates options and writes the stamp without the compiler (<see cref="ModelOptionValues"/>); the tool maps
/// the same values to <see cref="CompileOptions"/>. The stamp text must be what the compiler's options give
/// (<see cref="ModelOptionsParser.Canonical"/>, whose completeness OptionsStampTests checks), and a value is bad for both.
/// </summary>
[TestClass]
public sealed class CompilerFreeOptionsTests
{
    public static IEnumerable<object[]> Metadata =>
        OptionsStampTests.OutputChangingOptions.SelectMany(row => row).Distinct().Select(m => new object[] { m }).Concat(
        [
            ["InputRange=0,1;Mean=0.5;Std=0.5"], ["Mean=0.5"], ["Std=0,1"], ["Mean=1,2;Std=1,2"], ["InputRange=1,0"], ["InputRange=x,1"],
            ["ChannelOrder=RGB"], ["ChannelOrder= Bgr "], ["ChannelOrder=rgba"], ["WeightBits=4"], ["Calibration=consumer"], ["Calibration=best"],
            ["ActivationRanges=perchannel"], ["ActivationRanges=PerTensor"], ["ActivationRanges=both"],
            ["WeightRounding=nearest"], ["WeightRounding=Nearest"], ["WeightRounding=feedback"],
            ["FineActivations=0"], ["FineActivations=1001"], ["FineActivations=-5"], ["FineActivations=lots"],
            ["FullyConnected=gpu"], ["MaxCalibrationSamples=0"], ["MaxCalibrationSamples=+3"], ["InputShape=x=1,3;x=1,4"], ["InputShape=a=1, 3 ;b=2"],
            ["InputShape=1,,3"], ["Outputs= , "], ["Outputs=b, a,,c"], ["Outputs=y;Tail=Auto"], ["Tail=none"], ["Tail=all"],
            ["DeviceMemory=6291456"], ["DeviceMemory=-1"], ["Mean=1e40;Std=1"], ["Mean=0.1 0.2 0.3;Std=1"], ["CSharpUtf8Literal=false"],
        ]);

    [TestMethod]
    [DynamicData(nameof(Metadata))]
    public void TheCompilerFreeStampAndProblemsAreTheCompilersOwn(string metadata)
    {
        var item = new TaskItem("/p/net.onnx");
        foreach (string pair in metadata.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            item.SetMetadata(pair.Split('=', 2)[0], pair.Split('=', 2)[1]);
        }

        string[] dataset = ["/p/calib/a.bmp", "/p/calib/b.bmp"];
        var problems = new List<string>();
        var values = tasks::Emc.Build.Tool.ModelOptionValues.Parse(item.AsModel(), dataset, problems);
        var diagnostics = new DiagnosticBag();
        var options = ModelOptionsParser.Parse(item.AsToolModel(), dataset, "/p/p.csproj", diagnostics);

        CollectionAssert.AreEqual(problems, diagnostics.Select(d => d.Message).ToList());
        Assert.IsTrue(diagnostics.All(d => d.Code == "EMC0801" && d.File == "/p/p.csproj"));
        Assert.AreEqual(ModelOptionsParser.Canonical(options, item.AsToolModel()), values.Canonical(item.AsModel()));
    }

    [TestMethod]
    public void TheUnsetValuesAreTheCompilersDefaults()
    {
        var item = new TaskItem("/p/net.onnx");

        Assert.AreEqual(ModelOptionsParser.Canonical(new CompileOptions(), item.AsToolModel()), tasks::Emc.Build.Tool.ModelOptionValues.Parse(item.AsModel(), [], []).Canonical(item.AsModel()));
        item.SetMetadata(ModelMetadata.DeviceMemory, CompileOptions.K210DeviceMemoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("deviceMemory=", tasks::Emc.Build.Tool.ModelOptionValues.Parse(item.AsModel(), [], []).Canonical(item.AsModel()), "the K210's own size is the default");
    }
}
