using Emc.Build.Tests.Support;
using Emc.Tests;

namespace Emc.Build.Tests.EndToEnd;

/// <summary>
/// Real `dotnet build` runs of a project consuming the packed Emc.Sdk, with the fake compiler (the MSBuild
/// mechanics do not depend on what the compiler computes). Each test starts from its own fresh
/// <see cref="TwoModelProject"/>; the package is packed once per run.
/// </summary>
[TestClass]
[TestCategory(TestCategories.EndToEnd)]
public sealed class IncrementalBuildTests
{
    [TestMethod]
    public void FirstBuildGeneratesEveryOutputCompilesTheWrappersAndCopiesTheKmodels()
    {
        using var app = new TwoModelProject();

        app.Build();

        foreach (string name in new[] { "alpha", "beta" })
        {
            foreach (string ext in new[] { ".kmodel", ".h", ".g.cs", ".report.json", ".options", ".compiled" })
            {
                Assert.IsTrue(File.Exists(app.Emc + name + ext), name + ext);
            }

            Assert.IsTrue(File.Exists(app.Project.PathOf($"bin/Debug/net10.0/{name}.kmodel")), "copied to output");
        }

        CollectionAssert.AreEquivalent(new[] { "alpha.onnx", "beta.onnx" }, app.Project.Compiled());
        Assert.IsTrue(File.Exists(app.Project.PathOf("bin/Debug/net10.0/Emc.Kmodel.dll")), "runtime for the wrapper");
    }

    [TestMethod]
    public void NoOpBuildSkipsTheCompileTargetAndRewritesNothing()
    {
        using var app = new TwoModelProject();
        app.Build();
        var kmodelTime = File.GetLastWriteTimeUtc(app.Emc + "alpha.kmodel");

        var noop = app.Build();

        Assert.AreEqual(0, noop.CompileTaskRuns(), "no-op build ran EmcCompileModels");
        Assert.IsTrue(noop.TargetSkippedAsUpToDate("_EmcGatherStaleModels"), "every model up to date by its timestamps");
        Assert.HasCount(2, app.Project.Compiled());
        Assert.AreEqual(kmodelTime, File.GetLastWriteTimeUtc(app.Emc + "alpha.kmodel"));
    }

    [TestMethod]
    public void TouchingOneModelCompilesOnlyItAndIdenticalBytesKeepTheKmodelTimestamp()
    {
        using var app = new TwoModelProject();
        app.Build();
        var kmodelTime = File.GetLastWriteTimeUtc(app.Emc + "alpha.kmodel");

        File.SetLastWriteTimeUtc(app.Project.PathOf("models/alpha.onnx"), DateTime.UtcNow);
        app.Build();

        CollectionAssert.AreEqual(new[] { "alpha.onnx", "beta.onnx", "alpha.onnx" }, app.Project.Compiled());
        Assert.AreEqual(kmodelTime, File.GetLastWriteTimeUtc(app.Emc + "alpha.kmodel"), "unchanged bytes are not rewritten");
    }

    [TestMethod]
    public void ChangingOneModelsMetadataCompilesOnlyThatModelAndChangesItsKmodel()
    {
        using var app = new TwoModelProject();
        app.Build();
        byte[] betaBefore = File.ReadAllBytes(app.Emc + "beta.kmodel");

        app.Project.Write("app.csproj", TestProject.LibraryProject(TwoModelProject.Items("-1,1")));
        app.Build();

        Assert.AreEqual("beta.onnx", app.Project.Compiled()[^1]);
        Assert.HasCount(3, app.Project.Compiled(), "two on the first build, then beta alone");
        CollectionAssert.AreNotEqual(betaBefore, File.ReadAllBytes(app.Emc + "beta.kmodel"));
    }

    [TestMethod]
    public void RemovingAModelPrunesItsOutputsWithoutRecompilingTheOther()
    {
        using var app = new TwoModelProject();
        app.Build();

        // Remove beta and the code using it.
        app.Project.Write("Uses.cs", TwoModelProject.UserCode.Replace(" + Beta.LayerCount", "", StringComparison.Ordinal));
        app.Project.Write("app.csproj", TestProject.LibraryProject("""<EmcModel Include="models/alpha.onnx" InputRange="0,1" />"""));
        app.Build();

        Assert.HasCount(2, app.Project.Compiled(), "alpha was recompiled");
        Assert.IsFalse(Directory.EnumerateFiles(app.Emc, "beta.*").Any(), "stale beta outputs remain");
        Assert.IsTrue(File.Exists(app.Emc + "alpha.kmodel"));
    }

    [TestMethod]
    public void CleanRemovesEveryGeneratedFile()
    {
        using var app = new TwoModelProject();
        app.Build();

        var clean = app.Project.Dotnet("clean");

        Assert.IsTrue(clean.Succeeded, clean.ToString());
        string emc = app.Emc;
        Assert.IsFalse(Directory.Exists(emc) && Directory.EnumerateFiles(emc).Any(), "clean left: " + string.Join(", ", Directory.Exists(emc) ? Directory.EnumerateFiles(emc) : []));
    }

    [TestMethod]
    public void UnsupportedOpsFailTheBuildWithCodeFileAndEveryNodeAndLeaveNoOutputs()
    {
        using var project = new TestProject();
        project.Write("models/good.onnx", SampleModels.TinyCnn());
        project.Write("models/bad.onnx", SampleModels.UnsupportedOps("erf \"x\"\n*/node", "sin_node"));
        project.Write("app.csproj", TestProject.LibraryProject("""
            <EmcModel Include="models/good.onnx" />
            <EmcModel Include="models/bad.onnx" />
            """));
        string bad = project.PathOf("models/bad.onnx");

        var run = project.Dotnet("build");
        Assert.IsFalse(run.Succeeded, run.ToString());
        var errorLines = run.Output.Split('\n').Where(l => l.Contains("error EMC", StringComparison.Ordinal)).Distinct().ToList();
        Assert.IsTrue(errorLines.Any(l => l.StartsWith(bad + " : error EMC0101:", StringComparison.Ordinal) && l.Contains("erf \"x\"\\n*/node", StringComparison.Ordinal) && l.Contains("Erf", StringComparison.Ordinal)),
            "error line with file, code, escaped node name and op: " + string.Join("\n", errorLines));
        Assert.IsTrue(errorLines.Any(l => l.StartsWith(bad + " : error EMC0101:", StringComparison.Ordinal) && l.Contains("sin_node", StringComparison.Ordinal) && l.Contains("opset 11", StringComparison.Ordinal)),
            "both unsupported ops in one build: " + string.Join("\n", errorLines));
        Assert.DoesNotContain("MSB4018", run.Output);
        string emc = project.PathOf("obj/Debug/net10.0/emc/");
        Assert.IsFalse(Directory.EnumerateFiles(emc, "bad.*").Any(f => !f.EndsWith(".options", StringComparison.Ordinal)), "partial outputs of the failed model");
        Assert.IsTrue(File.Exists(emc + "good.kmodel"), "the good model is still compiled");

        // The next build retries the failed model (and only it).
        var again = project.Dotnet("build");
        Assert.IsFalse(again.Succeeded);
        Assert.AreEqual(2, project.Compiled().Count(l => l == "bad.onnx"));
        Assert.AreEqual(1, project.Compiled().Count(l => l == "good.onnx"));
    }

    [TestMethod]
    public void ParallelBuildOfEightModelsInTwoProjectsIsRaceFree()
    {
        using var project = new TestProject();
        for (int p = 0; p < 2; p++)
        {
            var items = new List<string>();
            for (int m = 0; m < 4; m++)
            {
                project.Write($"p{p}/models/m{m}.onnx", SampleModels.TinyCnn(seed: (p * 10) + m));
                items.Add($"""<EmcModel Include="models/m{m}.onnx" Namespace="P{p}" KfpkgAddress="{0x300000 + (m * 0x100000)}" />""");
            }

            // p0 also bundles its four models into a .kfpkg.
            project.Write($"p{p}/p{p}.csproj", TestProject.LibraryProject(string.Join("\n", items), p == 0 ? "<EmcCreateKfpkg>true</EmcCreateKfpkg>" : ""));
        }

        project.Write("all.proj", """
            <Project DefaultTargets="Build">
              <Target Name="Restore"><MSBuild Projects="p0/p0.csproj;p1/p1.csproj" Targets="Restore" BuildInParallel="true" /></Target>
              <Target Name="Build"><MSBuild Projects="p0/p0.csproj;p1/p1.csproj" Targets="Build" BuildInParallel="true" /></Target>
            </Project>
            """);
        var run = project.Dotnet("build", "all.proj", "-m:4");
        Assert.IsTrue(run.Succeeded, run.ToString());
        Assert.HasCount(8, project.Compiled());
        for (int p = 0; p < 2; p++)
        {
            for (int m = 0; m < 4; m++)
            {
                string kmodel = project.PathOf($"p{p}/obj/Debug/net10.0/emc/m{m}.kmodel");
                Assert.IsTrue(Emc.Kmodel.KmodelReader.ReadFile(kmodel).Succeeded, kmodel);
            }
        }

        Assert.IsFalse(Directory.EnumerateFiles(project.Root, "*.tmp", SearchOption.AllDirectories).Any(), "temporary files left behind");

        using var bundle = System.IO.Compression.ZipFile.OpenRead(project.PathOf("p0/bin/Debug/net10.0/p0.kfpkg"));
        CollectionAssert.AreEqual(new[] { "m0.kmodel", "m1.kmodel", "m2.kmodel", "m3.kmodel", "flash-list.json" }, bundle.Entries.Select(e => e.Name).ToList());
        Assert.IsFalse(File.Exists(project.PathOf("p1/bin/Debug/net10.0/p1.kfpkg")), "bundles are opt-in");
    }
}
