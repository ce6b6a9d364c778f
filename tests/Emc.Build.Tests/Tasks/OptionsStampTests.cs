extern alias tasks;

using System.Reflection;
using tasks::Emc.Build.Tasks;
using Emc.Build.Tests.Support;
using Emc.Build.Tool;
using Emc.Compiler.Compilation;
using Microsoft.Build.Utilities;

namespace Emc.Build.Tests.Tasks;

/// <summary>
/// The per-model options stamp (obj/…/emc/&lt;name&gt;.options, written by <see cref="EmcResolveModels"/>) is the only
/// input through which an option reaches the incremental compile target: an option that changes the kmodel or a
/// generated file without changing the stamp would leave stale outputs. Every such option is listed here.
/// </summary>
[TestClass]
public sealed class OptionsStampTests
{
    /// <summary>EmcModel metadata that change no per-model output (the .kfpkg bundle has its own stamp).</summary>
    private static readonly string[] s_notPerModelOutputs = [ModelMetadata.KfpkgAddress, ModelMetadata.CopyToOutputDirectory];

    /// <summary>ModelMetadata constants EmcResolveModels computes (not set by users).</summary>
    private static readonly string[] s_computed =
    [
        ModelMetadata.KmodelFile, ModelMetadata.HeaderFile, ModelMetadata.CSharpFile, ModelMetadata.ReportFile,
        ModelMetadata.OptionsFile, ModelMetadata.OptionsText, ModelMetadata.MarkerFile, ModelMetadata.DatasetFiles,
        ModelMetadata.ResourceName, ModelMetadata.SourceItem, ModelMetadata.CSharpUtf8Literal, ModelMetadata.DiagnosticsFile,
    ];

    /// <summary>
    /// Each row: metadata of the baseline item, then of the changed item ("Name=value;Name=value"); the two differ
    /// in one output-changing option. Rows are named after that option (first name of the changed side).
    /// </summary>
    public static IEnumerable<object[]> OutputChangingOptions =>
    [
        ["", "Dataset=calib"],
        ["", "InputRange=-1,1"],
        ["InputRange=0,1", "InputRange=0,2"],
        ["Mean=0.5;Std=0.25", "Mean=0.4;Std=0.25"],
        ["Mean=0.5;Std=0.25", "Std=0.2;Mean=0.5"],
        ["Mean=0.5;Std=0.25", "Mean=0.5,0.5,0.5;Std=0.25"],
        ["", "ChannelOrder=bgr"],
        ["", "WeightBits=16"],
        ["", "Calibration=MinMax"],
        ["", "Calibration=Percentile"],
        ["", "Calibration=Mse"],
        ["", "Calibration=Kld"],
        ["", "MaxCalibrationSamples=12"],
        ["", "ActivationRanges=PerChannel"],
        ["", "WeightRounding=ErrorFeedback"],
        ["", "FineActivations=80"],
        ["FineActivations=80", "FineActivations=40"],
        ["", "FullyConnected=Cpu"],
        ["", "FullyConnected=Kpu"],
        ["", "InputShape=1,3,8,8"],
        ["InputShape=1,3,8,8", "InputShape=1,3,8,16"],
        ["", "Outputs=y"],
        ["Outputs=y", "Outputs=y,z"],
        ["", "Tail=Auto"],
        ["", "DeviceMemory=0"],
        ["", "DeviceMemory=16777216"],
        ["", "OutputName=other"],
        ["", "Namespace=Other.Space"],
        ["", "ClassName=Other"],
        ["", "Access=internal"],
        ["", "GenerateCHeader=false"],
        ["", "GenerateCSharp=true"],
        ["", "Report=false"],
        ["", "Report=Html"],
        ["", "EmbedAsResource=true"],
    ];

    [TestMethod]
    [DynamicData(nameof(OutputChangingOptions))]
    public void ChangingTheOptionChangesTheStamp(string baseline, string changed)
    {
        using var dir = NewProject();

        string before = Stamp(dir, baseline);
        string after = Stamp(dir, changed);

        Assert.AreEqual(before, Stamp(dir, baseline), "the stamp is deterministic");
        Assert.AreNotEqual(before, after, $"'{baseline}' → '{changed}' must change the stamp");
    }

    [TestMethod]
    public void AFileAddedToTheDatasetFolderChangesTheStamp()
    {
        using var dir = NewProject();
        string before = Stamp(dir, "Dataset=calib");

        File.WriteAllBytes(dir.File("calib/img1.bmp"), SampleImages.Bmp(8, 8, 1));

        Assert.AreNotEqual(before, Stamp(dir, "Dataset=calib"));
    }

    [TestMethod]
    public void TheProjectsRootNamespaceChangesTheStamp()
    {
        using var dir = NewProject();

        Assert.AreNotEqual(Stamp(dir, "", defaultNamespace: "A"), Stamp(dir, "", defaultNamespace: "B"));
    }

    /// <summary>A new EmcModel metadata must be added to <see cref="OutputChangingOptions"/> or to the exclusions.</summary>
    [TestMethod]
    public void EveryUserMetadataIsCoveredOrExplicitlyExcluded()
    {
        var all = typeof(ModelMetadata).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
        var covered = OutputChangingOptions.SelectMany(row => Parse((string)row[1]).Select(m => m.Name));

        var uncovered = all.Except(covered).Except(s_notPerModelOutputs).Except(s_computed).Order(StringComparer.Ordinal).ToList();

        Assert.IsEmpty(uncovered, "metadata with no stamp test row: " + string.Join(", ", uncovered));
    }

    /// <summary>
    /// Every <see cref="CompileOptions"/> property (each changes the kmodel, by its contract) is in the stamp text: a
    /// non-default value of any one of them changes <see cref="ModelOptionsParser.Canonical"/>.
    /// </summary>
    [TestMethod]
    public void EveryCompileOptionsPropertyChangesTheCanonicalText()
    {
        var item = new TaskItem("net.onnx");
        string baseline = ModelOptionsParser.Canonical(new CompileOptions(), item.AsToolModel());
        foreach (var property in typeof(CompileOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var options = new CompileOptions();
            property.SetValue(options, NonDefault(property, property.GetValue(options)));

            Assert.AreNotEqual(baseline, ModelOptionsParser.Canonical(options, item.AsToolModel()), property.Name + " is not in the options stamp");
        }
    }

    private static object NonDefault(PropertyInfo property, object? current)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(int))
        {
            return (int)current! + 1;
        }

        if (type.IsEnum)
        {
            return Enum.GetValues(type).Cast<object>().First(v => !v.Equals(current));
        }

        if (type == typeof(IReadOnlyList<string>))
        {
            return new[] { "calib/a.bmp" };
        }

        if (type == typeof(IReadOnlyList<float>))
        {
            return new[] { 0.5f };
        }

        if (type == typeof((float, float)))
        {
            return (-1f, 1f);
        }

        if (type == typeof(long))
        {
            return (long)current! + 1;
        }

        if (type == typeof(bool))
        {
            return !(bool)current!;
        }

        if (type == typeof(IReadOnlyDictionary<string, int[]>))
        {
            return new Dictionary<string, int[]> { ["x"] = [1, 3, 8, 8] };
        }

        throw new AssertFailedException($"CompileOptions.{property.Name} ({property.PropertyType}) is new: teach this test a non-default value");
    }

    private static TempDirectory NewProject()
    {
        var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("net.onnx"), SampleModels.TinyCnn());
        Directory.CreateDirectory(dir.File("calib"));
        File.WriteAllBytes(dir.File("calib/img0.bmp"), SampleImages.Bmp(8, 8, 0));
        return dir;
    }

    /// <summary>Resolves net.onnx with the given metadata (as the build does) and returns the stamp file's text.</summary>
    private static string Stamp(TempDirectory dir, string metadata, string defaultNamespace = "Tests")
    {
        var item = new TaskItem(dir.File("net.onnx"));
        foreach (var (name, value) in Parse(metadata))
        {
            item.SetMetadata(name, value);
        }

        var engine = new FakeBuildEngine();
        var task = new EmcResolveModels
        {
            BuildEngine = engine,
            Models = [item],
            OutputDirectory = dir.File("obj/emc"),
            ProjectDirectory = dir.Path,
            DefaultNamespace = defaultNamespace,
        };
        Assert.IsTrue(task.Execute(), string.Join("\n", engine.Errors.Select(e => e.Message)));
        return File.ReadAllText(task.ResolvedModels.Single().GetMetadata(ModelMetadata.OptionsFile));
    }

    private static IEnumerable<(string Name, string Value)> Parse(string metadata) =>
        metadata.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(pair => pair.Split('=', 2)).Select(p => (p[0], p[1]));
}
