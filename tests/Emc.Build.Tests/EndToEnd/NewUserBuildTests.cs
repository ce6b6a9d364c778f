using Emc.Build.Tests.Support;
using Emc.Tests;

namespace Emc.Build.Tests.EndToEnd;

/// <summary>What a new user hit (issue 14): real `dotnet build`s with the fake compiler.</summary>
[TestClass]
[TestCategory(TestCategories.EndToEnd)]
public sealed class NewUserBuildTests
{
    [TestMethod]
    public void EveryOutputMetadataValueIsValidatedWithTheAcceptedValues()
    {
        using var project = new TestProject();
        project.Write("models/net.onnx", SampleModels.TinyCnn());
        project.Write("app.csproj", TestProject.LibraryProject("""
            <EmcModel Include="models/net.onnx" Access="private" CopyToOutputDirectory="Sometimes" Report="yes" />
            """));

        var run = project.Dotnet("build");

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "error EMC0801: EmcModel 'models/net.onnx': Access='private' is invalid; expected public, internal");
        StringAssert.Contains(run.Output, "CopyToOutputDirectory='Sometimes' is invalid; expected Never, PreserveNewest, Always, IfDifferent");
        StringAssert.Contains(run.Output, "Report='yes' is invalid; expected true, false");
        Assert.IsEmpty(project.Compiled());
    }

    [TestMethod]
    public void ADatasetWithNoUsableSampleIsAnErrorAndNoDatasetWarnsInMsbuildTerms()
    {
        using var project = new TestProject();
        project.Write("models/net.onnx", SampleModels.TinyCnn());
        project.Write("calib/readme.txt", "no samples here");
        project.Write("app.csproj", TestProject.LibraryProject("""<EmcModel Include="models/net.onnx" Dataset="calib/" />"""));

        var empty = project.Dotnet("build");

        Assert.IsFalse(empty.Succeeded, empty.ToString());
        StringAssert.Contains(empty.Output, "error EMC0603: EmcModel 'models/net.onnx': Dataset 'calib/' holds no usable sample");
        Assert.IsEmpty(project.Compiled(), "never calibrated on random data silently");

        project.Write("app.csproj", TestProject.LibraryProject("""<EmcModel Include="models/net.onnx" />"""));
        var none = project.Dotnet("build");

        Assert.IsTrue(none.Succeeded, none.ToString());
        var warning = none.Output.Split('\n').First(l => l.Contains("warning EMC0602", StringComparison.Ordinal));
        StringAssert.Contains(warning, "EmcModel 'models/net.onnx' (net): no calibration dataset given");
        StringAssert.Contains(warning, "Dataset=");
        Assert.DoesNotContain("--dataset", warning);
    }

    [TestMethod]
    public void WarningsAreReplayedOnNoOpBuildsAndWarningsAsErrorsTakesEffectWithoutAClean()
    {
        using var project = new TestProject();
        project.Write("models/net.onnx", SampleModels.TinyCnn());
        project.Write("app.csproj", TestProject.LibraryProject("""<EmcModel Include="models/net.onnx" />"""));

        var first = project.Dotnet("build");
        var noop = project.Dotnet("build");
        var strict = project.Dotnet("build", "-p:EmcTreatWarningsAsErrors=true");
        var perCode = project.Dotnet("build", "-p:WarningsAsErrors=EMC0602");
        var again = project.Dotnet("build");

        Assert.IsTrue(first.Succeeded, first.ToString());
        StringAssert.Contains(first.Output, "warning EMC0602");
        Assert.IsTrue(noop.Succeeded, noop.ToString());
        Assert.AreEqual(0, noop.CompileTaskRuns(), "the no-op build does not compile");
        StringAssert.Contains(noop.Output, "warning EMC0602", "the warning survives the incremental build");
        Assert.IsFalse(strict.Succeeded, strict.ToString());
        StringAssert.Contains(strict.Output, "error EMC0602");
        Assert.IsFalse(perCode.Succeeded, perCode.ToString());
        StringAssert.Contains(perCode.Output, "error EMC0602");
        Assert.IsTrue(again.Succeeded, again.ToString());
        StringAssert.Contains(again.Output, "warning EMC0602");
        Assert.HasCount(1, project.Compiled(), "replaying never recompiles");
    }

    [TestMethod]
    public void CompileErrorsNameTheItemAndItsOutputName()
    {
        using var project = new TestProject();
        project.Write("models/bad.onnx", SampleModels.UnsupportedOps("erf_node", "sin_node"));
        project.Write("app.csproj", TestProject.LibraryProject("""
            <EmcModel Include="models/bad.onnx" OutputName="first" />
            <EmcModel Include="models/bad.onnx" OutputName="second" />
            """));

        var run = project.Dotnet("build");

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "error EMC0101: EmcModel 'models/bad.onnx' (first): node 'erf_node'");
        StringAssert.Contains(run.Output, "error EMC0101: EmcModel 'models/bad.onnx' (second): node 'erf_node'");
        StringAssert.Contains(run.Output, "error EMC0809:", "every item is attempted, then the build stops");
        Assert.HasCount(2, project.Compiled());
    }

    [TestMethod]
    public void CleanAndRemovingTheLastModelLeaveNoEmcFolder()
    {
        using var project = new TestProject();
        project.Write("models/net.onnx", SampleModels.TinyCnn());
        string emc = project.PathOf("obj/Debug/net10.0/emc");
        project.Write("app.csproj", TestProject.LibraryProject("""<EmcModel Include="models/net.onnx" KfpkgAddress="0x300000" />""",
            "<EmcCreateKfpkg>true</EmcCreateKfpkg>"));
        Assert.IsTrue(project.Dotnet("build").Succeeded);
        Assert.IsTrue(File.Exists(Path.Combine(emc, "kfpkg.stamp")));

        Assert.IsTrue(project.Dotnet("clean").Succeeded);
        Assert.IsFalse(Directory.Exists(emc), "clean left: " + Listing(emc));
        Assert.IsFalse(File.Exists(project.PathOf("bin/Debug/net10.0/app.kfpkg")), "the bundle is cleaned too");

        // An item that fails validation still leaves its options stamp; clean removes it.
        project.Write("app.csproj", TestProject.LibraryProject("""<EmcModel Include="models/net.onnx" WeightBits="12" />"""));
        Assert.IsFalse(project.Dotnet("build").Succeeded);
        Assert.IsTrue(project.Dotnet("clean").Succeeded);
        Assert.IsFalse(Directory.Exists(emc), "clean after a failed validation left: " + Listing(emc));

        // The last model goes: so do its outputs and the folder.
        project.Write("app.csproj", TestProject.LibraryProject("""<EmcModel Include="models/net.onnx" />"""));
        Assert.IsTrue(project.Dotnet("build").Succeeded);
        project.Write("app.csproj", TestProject.LibraryProject(""));
        Assert.IsTrue(project.Dotnet("build").Succeeded);
        Assert.IsFalse(Directory.Exists(emc), "removing the last model left: " + Listing(emc));
    }

    [TestMethod]
    public void EachCompiledModelGetsOneSummaryLineAndANoOpBuildPrintsNothing()
    {
        using var app = new TwoModelProject();

        var first = app.Build();
        var noop = app.Build();

        var lines = first.Output.Split('\n').Where(l => l.TrimStart().StartsWith("Emc: ", StringComparison.Ordinal)).ToList();
        Assert.HasCount(2, lines, first.Output);
        StringAssert.Contains(lines[0], "EmcModel 'models/alpha.onnx' (alpha) -> " + app.Emc + "alpha.kmodel: ");
        StringAssert.Matches(lines[0], new System.Text.RegularExpressions.Regex(@"[\d,]+ bytes, 0 KPU \+ 1 CPU layers, main memory [\d,]+ bytes"));
        Assert.IsFalse(noop.Output.Split('\n').Any(l => l.TrimStart().StartsWith("Emc: ", StringComparison.Ordinal)), noop.Output);
    }

    /// <summary>
    /// A netstandard2.0 / C# 7.3 library: no CS8370 from a u8 wrapper and no MSB3277 from net8.0 runtime references.
    /// NETStandard.Library comes from nuget.org (the only test that needs it; inconclusive offline).
    /// </summary>
    [TestMethod]
    public void ANetStandardProjectGetsTheKmodelWithoutAWrapperAndAskingForOneIsAClearError()
    {
        using var project = new TestProject();
        project.Write("NuGet.config", PackagedSdk.NuGetConfig.Replace("</packageSources>", """
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            """, StringComparison.Ordinal));
        project.Write("models/net.onnx", SampleModels.TinyCnn());
        string Library(string item) => TestProject.LibraryProject(item).Replace("net10.0", "netstandard2.0", StringComparison.Ordinal).Replace("<Nullable>enable</Nullable>", "", StringComparison.Ordinal);
        project.Write("app.csproj", Library("""<EmcModel Include="models/net.onnx" />"""));
        project.Write("Code.cs", "namespace Sample { public static class Code { public const int Answer = 42; } }");
        var restore = project.Dotnet("restore");
        if (!restore.Succeeded && restore.Output.Contains("NU1301", StringComparison.Ordinal))
        {
            Assert.Inconclusive("nuget.org is unreachable: " + restore.Output);
        }

        var run = project.Dotnet("build");

        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.DoesNotContain("CS8370", run.Output);
        Assert.DoesNotContain("MSB3277", run.Output);
        Assert.IsTrue(File.Exists(project.PathOf("bin/Debug/netstandard2.0/net.kmodel")), "the kmodel is still built and copied");
        Assert.IsFalse(File.Exists(project.PathOf("obj/Debug/netstandard2.0/emc/net.g.cs")), "no wrapper the project cannot compile");
        Assert.IsFalse(File.Exists(project.PathOf("bin/Debug/netstandard2.0/Emc.Kmodel.dll")), "no net8.0 runtime reference");

        project.Write("app.csproj", Library("""<EmcModel Include="models/net.onnx" GenerateCSharp="true" />"""));
        var asked = project.Dotnet("build");

        Assert.IsFalse(asked.Succeeded, asked.ToString());
        StringAssert.Contains(asked.Output, "error EMC0815: EmcModel 'models/net.onnx': the generated C# wrapper needs");
        StringAssert.Contains(asked.Output, "GenerateCSharp=\"false\"");
        Assert.DoesNotContain("CS8370", asked.Output);
    }

    [TestMethod]
    public void ALangVersion10ProjectGetsAWrapperWithoutUtf8Literals()
    {
        using var app = new TwoModelProject();
        app.Project.Write("app.csproj", TestProject.LibraryProject(TwoModelProject.Items("0,1"), "<LangVersion>10</LangVersion>"));

        var run = app.Build();

        Assert.DoesNotContain("CS8370", run.Output);
        string wrapper = File.ReadAllText(app.Emc + "alpha.g.cs");
        StringAssert.Contains(wrapper, "global::System.Convert.FromBase64String(\"");
        Assert.DoesNotContain("\"u8", wrapper);
    }

    private static string Listing(string folder) =>
        Directory.Exists(folder) ? string.Join(", ", Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName)) : "";
}
