using Emc.Build.Tests.Support;

namespace Emc.Build.Tests.EndToEnd;

/// <summary>
/// Real `dotnet build` runs of a project consuming the packed Emc.Sdk, with the fake compiler (the MSBuild
/// mechanics do not depend on what the compiler computes). One sequence per test to keep the suite fast.
/// </summary>
[TestClass]
[TestCategory("EndToEnd")]
public sealed class IncrementalBuildTests
{
    private const string UserCode = """
        namespace Sample;
        public static class Uses
        {
            public static int Facts() => Alpha.KmodelLength + Beta.LayerCount + Alpha.Input0Shape.Length + Alpha.Load().Layers.Count;
        }
        """;

    [TestMethod]
    public void FirstBuildGeneratesNoOpSkipsTouchAndMetadataRebuildOnlyThatModelRemovalPrunesCleanRemoves()
    {
        using var project = new TestProject();
        project.Write("models/alpha.onnx", SampleModels.TinyCnn(seed: 1));
        project.Write("models/beta.onnx", SampleModels.TinyCnn(seed: 2));
        project.Write("Uses.cs", UserCode);
        string Items(string betaRange) => $"""
            <EmcModel Include="models/alpha.onnx" InputRange="0,1" />
            <EmcModel Include="models/beta.onnx" InputRange="{betaRange}" />
            """;
        project.Write("app.csproj", TestProject.LibraryProject(Items("0,1")));
        string emc = project.PathOf("obj/Debug/net10.0/emc/");

        // 1. First build: every output, C# compiled into the assembly, kmodel copied to bin.
        var first = project.Dotnet("build");
        Assert.IsTrue(first.Succeeded, first.ToString());
        foreach (string name in new[] { "alpha", "beta" })
        {
            foreach (string ext in new[] { ".kmodel", ".h", ".g.cs", ".report.json", ".options", ".compiled" })
            {
                Assert.IsTrue(File.Exists(emc + name + ext), name + ext);
            }

            Assert.IsTrue(File.Exists(project.PathOf($"bin/Debug/net10.0/{name}.kmodel")), "copied to output");
        }

        CollectionAssert.AreEquivalent(new[] { "alpha.onnx", "beta.onnx" }, project.Compiled());
        Assert.IsTrue(File.Exists(project.PathOf("bin/Debug/net10.0/Emc.Kmodel.dll")), "runtime for the wrapper");

        // 2. No-op: the compile target is skipped (binlog) and nothing is compiled.
        var kmodelTime = File.GetLastWriteTimeUtc(emc + "alpha.kmodel");
        var noop = project.Dotnet("build");
        Assert.IsTrue(noop.Succeeded, noop.ToString());
        Assert.AreEqual(0, noop.CompileTaskRuns(), "no-op build ran EmcCompileModels");
        Assert.IsTrue(noop.TargetSkippedAsUpToDate("_EmcCompileModels"));
        Assert.HasCount(2, project.Compiled());
        Assert.AreEqual(kmodelTime, File.GetLastWriteTimeUtc(emc + "alpha.kmodel"));

        // 3. Touch one model: only it is compiled; identical content leaves its kmodel's timestamp alone.
        File.SetLastWriteTimeUtc(project.PathOf("models/alpha.onnx"), DateTime.UtcNow);
        var touched = project.Dotnet("build");
        Assert.IsTrue(touched.Succeeded, touched.ToString());
        CollectionAssert.AreEqual(new[] { "alpha.onnx", "beta.onnx", "alpha.onnx" }, project.Compiled());
        Assert.AreEqual(kmodelTime, File.GetLastWriteTimeUtc(emc + "alpha.kmodel"), "unchanged bytes are not rewritten");

        // 4. Change beta's metadata: only beta is compiled, and its kmodel changes.
        byte[] betaBefore = File.ReadAllBytes(emc + "beta.kmodel");
        project.Write("app.csproj", TestProject.LibraryProject(Items("-1,1")));
        var changed = project.Dotnet("build");
        Assert.IsTrue(changed.Succeeded, changed.ToString());
        Assert.AreEqual("beta.onnx", project.Compiled()[^1]);
        Assert.HasCount(4, project.Compiled());
        CollectionAssert.AreNotEqual(betaBefore, File.ReadAllBytes(emc + "beta.kmodel"));

        // 5. Remove beta (and the code using it): its outputs are pruned; alpha is not recompiled.
        project.Write("Uses.cs", UserCode.Replace(" + Beta.LayerCount", "", StringComparison.Ordinal));
        project.Write("app.csproj", TestProject.LibraryProject("""<EmcModel Include="models/alpha.onnx" InputRange="0,1" />"""));
        var removed = project.Dotnet("build");
        Assert.IsTrue(removed.Succeeded, removed.ToString());
        Assert.HasCount(4, project.Compiled());
        Assert.IsFalse(Directory.EnumerateFiles(emc, "beta.*").Any(), "stale beta outputs remain");
        Assert.IsTrue(File.Exists(emc + "alpha.kmodel"));

        // 6. Clean removes every generated file.
        var clean = project.Dotnet("clean");
        Assert.IsTrue(clean.Succeeded, clean.ToString());
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
