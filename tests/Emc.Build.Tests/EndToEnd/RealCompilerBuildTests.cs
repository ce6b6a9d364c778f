using Emc.Build.Tests.Support;
using Emc.Tests;

namespace Emc.Build.Tests.EndToEnd;

/// <summary>`dotnet build` with the packed Emc.Sdk and the REAL compiler (no EmcCompilerToolPath override).</summary>
[TestClass]
[TestCategory(TestCategories.EndToEnd)]
[TestCategory(TestCategories.RealCompiler)]
public sealed class RealCompilerBuildTests
{
    [TestMethod]
    public void BuildCompilesIsIncrementalRunsTheWrapperAndReportsUnsupportedOps()
    {
        using var project = new TestProject(fakeCompiler: false);
        project.Write("models/net.onnx", SampleModels.TinyCnn());
        project.Write("models/my-net (1).onnx", SampleModels.TinyCnn(seed: 5, prefix: "n*/\"\n"));
        for (int i = 0; i < 4; i++)
        {
            project.Write($"calib/img{i}.bmp", SampleImages.Bmp(16, 16, i));
        }

        project.Write("Uses.cs", """
            namespace Sample;
            public static class Uses
            {
                public static float[] Classify(byte[] chw) => Net.Run(chw);
                public static string Names() => MyNet1.Input0Name + MyNet1.Output0Name;
            }
            """);
        string good = """
            <EmcModel Include="models/net.onnx" Dataset="calib" InputRange="0,1" />
            <EmcModel Include="models/my-net (1).onnx" Dataset="calib" InputRange="0,1" />
            """;
        project.Write("app.csproj", TestProject.LibraryProject(good));
        string emc = project.PathOf("obj/Debug/net10.0/emc/");

        var first = project.Dotnet("build");
        Assert.IsTrue(first.Succeeded, first.ToString());
        Assert.IsTrue(Emc.Kmodel.KmodelReader.ReadFile(emc + "net.kmodel").Succeeded);
        Assert.IsTrue(File.Exists(emc + "my_net_1.h") && File.Exists(emc + "my_net_1.g.cs"));
        Assert.AreEqual(1, first.CompileTaskRuns(), "one compiler tool run for both models");
        Assert.HasCount(2, first.SummaryLines());
        StringAssert.Matches(first.Output, new System.Text.RegularExpressions.Regex(
            @"Emc: EmcModel 'models/net.onnx' \(net\) -> .*net\.kmodel: [\d,]+ bytes, \d+ KPU \+ \d+ CPU layers, main memory [\d,]+ bytes, SQNR -?[\d.]+ dB \(.*\) on 4 samples of Dataset 'calib' \(4 calibration samples\)"),
            "one summary line per compiled model, with what the accuracy was measured on");

        var noop = project.Dotnet("build");
        Assert.IsTrue(noop.Succeeded, noop.ToString());
        Assert.AreEqual(0, noop.CompileTaskRuns(), "the no-op build compiled a model");

        File.SetLastWriteTimeUtc(project.PathOf("models/net.onnx"), DateTime.UtcNow);
        var touched = project.Dotnet("build");
        Assert.IsTrue(touched.Succeeded, touched.ToString());
        Assert.AreEqual(1, touched.CompileTaskRuns());
        StringAssert.StartsWith(touched.SummaryLines().Single(), "Emc: EmcModel 'models/net.onnx' (net) -> ", "touching one model recompiles only it");

        // The generated header compiles as C and C++.
        foreach (var (compiler, standard) in new[] { ("gcc", "-std=c99"), ("g++", "-std=c++17") })
        {
            project.Write("main.c", "#include \"net.h\"\n#include \"my_net_1.h\"\nint main(void) { return (int)(net_kmodel[0] != 3u) + (int)(my_net_1_kmodel[0] != 3u); }\n");
            var cc = ProcessRunner.Run(compiler, [standard, "-x", compiler == "gcc" ? "c" : "c++", "-Wall", "-Wextra", "-Werror", "-I", emc, "-o", "main", "main.c"], project.Root);
            Assert.AreEqual(0, cc.ExitCode, cc.ToString());
            Assert.AreEqual(0, ProcessRunner.Run(project.PathOf("main"), [], project.Root).ExitCode, "blob starts with version 3");
        }

        project.Write("models/bad.onnx", SampleModels.UnsupportedOps());
        project.Write("app.csproj", TestProject.LibraryProject(good + """<EmcModel Include="models/bad.onnx" />"""));
        var bad = project.Dotnet("build");
        Assert.IsFalse(bad.Succeeded);
        string badPath = project.PathOf("models/bad.onnx");
        var lines = bad.Output.Split('\n').Where(l => l.StartsWith(badPath + " : error EMC", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(lines.Any(l => l.Contains("bad_erf", StringComparison.Ordinal)) && lines.Any(l => l.Contains("bad_sin", StringComparison.Ordinal)),
            "both unsupported nodes, with the model as file and an EMC code:\n" + bad.Output);
        Assert.DoesNotContain("MSB4018", bad.Output);
    }
}
