using System.Diagnostics;
using Emc.Build.Tests.Support;
using Emc.Tests;

namespace Emc.Build.Tests.EndToEnd;

/// <summary>
/// The compiler as a separate process (issue 12): one tool run per project, its command line in the binary log,
/// and a cancelled build (Ctrl+C) that kills the tool and leaves no half-written model behind.
/// </summary>
[TestClass]
[TestCategory(TestCategories.EndToEnd)]
public sealed class CompilerToolTests
{
    [TestMethod]
    public void OneToolRunCompilesEveryStaleModelAndTheBinlogShowsItsCommandLine()
    {
        using var app = new TwoModelProject();

        var run = app.Build();

        var tasks = run.CompileTasks();
        Assert.HasCount(1, tasks, "one EmcCompileModels (one tool process) for both models");
        string commandLine = tasks[0].CommandLineArguments ?? "";
        StringAssert.Contains(commandLine, " exec ");
        StringAssert.Contains(commandLine, PackagedSdk.FakeCompiler);
        StringAssert.Contains(commandLine, "--result ");
        CollectionAssert.AreEquivalent(new[] { "alpha.onnx", "beta.onnx" }, app.Project.Compiled());
    }

    [TestMethod]
    public void MinimalVerbosityShowsOneLinePerCompiledModelAndNothingOnANoOpBuildNormalShowsTheToolCommandLine()
    {
        using var app = new TwoModelProject();

        var first = app.Project.Dotnet("build", "-v:m");
        var noop = app.Project.Dotnet("build", "-v:m");
        File.SetLastWriteTimeUtc(app.Project.PathOf("models/alpha.onnx"), DateTime.UtcNow);
        var normal = app.Project.Dotnet("build", "-v:n");

        Assert.IsTrue(first.Succeeded && noop.Succeeded && normal.Succeeded, first + "\n" + noop + "\n" + normal);
        Assert.HasCount(2, first.SummaryLines());
        CollectionAssert.AreEqual(first.SummaryLines(), EmcLines(first.Output), "at minimal verbosity Emc prints its summary lines only");
        Assert.IsEmpty(EmcLines(noop.Output), "nothing compiled, nothing printed (the replayed warnings aside):\n" + noop.Output);
        string commandLine = normal.Output.Split('\n').Single(l => l.Contains(" exec ", StringComparison.Ordinal) && l.Contains("--result", StringComparison.Ordinal));
        StringAssert.Contains(commandLine, PackagedSdk.FakeCompiler, "normal verbosity shows the tool's command line");
        StringAssert.Contains(normal.Output, "Emc: compiling " + app.Project.PathOf("models/alpha.onnx"));
    }

    private static List<string> EmcLines(string output) =>
        [.. output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Emc:", StringComparison.Ordinal))];

    [TestMethod]
    public void CancellingTheBuildKillsTheToolAndLeavesNoPartialOutputs()
    {
        Assert.IsNotNull(ProcessRunner.Which("kill"), "kill(1) sends the Ctrl+C signal");
        using var app = new TwoModelProject();
        app.Build();
        File.SetLastWriteTimeUtc(app.Project.PathOf("models/alpha.onnx"), DateTime.UtcNow);
        File.SetLastWriteTimeUtc(app.Project.PathOf("models/beta.onnx"), DateTime.UtcNow);

        var environment = app.Project.Environment();
        environment["EMC_FAKE_COMPILER_HANG"] = "beta.onnx";
        using var build = Start(app.Project.Root, environment);
        int toolPid = WaitForHang(app.Project, build);
        // What a kill in the middle of an atomic write leaves: the temporary file beside the output.
        File.WriteAllText(app.Emc + ".beta.kmodel.0badf00d.tmp", "torn");

        Signal(build.Id, "INT");
        Assert.IsTrue(build.WaitForExit(120_000), "the cancelled build did not stop");

        Assert.AreNotEqual(0, build.ExitCode);
        Assert.IsTrue(HasExited(toolPid), "the compiler tool outlived the cancelled build");
        foreach (string ext in new[] { ".kmodel", ".h", ".g.cs", ".report.json", ".compiled", ".diagnostics" })
        {
            Assert.IsTrue(File.Exists(app.Emc + "alpha" + ext), "alpha finished before the cancel: alpha" + ext);
            Assert.IsFalse(File.Exists(app.Emc + "beta" + ext), "beta was cancelled mid-compile: beta" + ext + " must be gone");
        }

        Assert.IsEmpty(Directory.GetFiles(app.Emc, "*.tmp", SearchOption.AllDirectories), "no temporary file survives");

        int before = app.Project.Compiled().Count;
        app.Build();
        CollectionAssert.AreEqual(new[] { "beta.onnx" }, app.Project.Compiled().Skip(before).ToList(), "only the cancelled model is compiled again");
    }

    /// <summary>
    /// EmcUseTaskHost=true: every Emc task in an MSBuild task host process, the boundary a desktop MSBuild crosses with
    /// an out-of-process task; item metadata (here the per-item ClassName/Namespace/Access/OutputName and a dataset
    /// path with spaces) must arrive intact in the generated files.
    /// </summary>
    [TestMethod]
    public void ABuildThroughTaskHostFactoryKeepsEveryItemMetadata()
    {
        using var project = new TestProject();
        project.Write("models/net.onnx", SampleModels.TinyCnn());
        project.Write("calib set/a.npy", new byte[] { 1, 2, 3 }); // listed, not read: the fake compiler ignores samples
        project.Write("app.csproj", TestProject.LibraryProject(
            """<EmcModel Include="models/net.onnx" OutputName="renamed" ClassName="Custom" Namespace="Other.Space" Access="internal" Dataset="calib set" InputRange="-1,1" />""",
            "<EmcUseTaskHost>true</EmcUseTaskHost>"));

        var run = project.Dotnet("build");

        Assert.IsTrue(run.Succeeded, run.ToString());
        var hosted = run.Messages(m => m.Contains("external task host", StringComparison.OrdinalIgnoreCase));
        Assert.IsTrue(hosted.Any(m => m.Contains("EmcResolveModels", StringComparison.Ordinal)), "EmcResolveModels ran in a task host");
        Assert.IsTrue(hosted.Any(m => m.Contains("EmcCompileModels", StringComparison.Ordinal)), "EmcCompileModels ran in a task host");
        string emc = project.PathOf("obj/Debug/net10.0/emc/");
        string wrapper = File.ReadAllText(emc + "renamed.g.cs");
        StringAssert.Contains(wrapper, "namespace Other.Space");
        StringAssert.Contains(wrapper, "internal static partial class Custom");
        string options = File.ReadAllText(emc + "renamed.options");
        StringAssert.Contains(options, "inputRange=-1,1");
        StringAssert.Contains(options, Path.Combine(project.Root, "calib set", "a.npy"));
        Assert.IsTrue(File.Exists(emc + "renamed.kmodel"));
    }

    private static Process Start(string root, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = root, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "build", "-nologo", "-v:n" })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            if (value.Length == 0)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int WaitForHang(TestProject project, Process build)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            string? line = project.Compiled().FirstOrDefault(l => l.StartsWith("beta.onnx hangs pid=", StringComparison.Ordinal));
            if (line is not null)
            {
                return int.Parse(line["beta.onnx hangs pid=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }

            Assert.IsFalse(build.HasExited, "the build ended before the tool reached beta");
            Thread.Sleep(100);
        }

        build.Kill(entireProcessTree: true);
        Assert.Fail("the tool never reached beta");
        return 0;
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static bool HasExited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
