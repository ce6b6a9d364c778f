using System.Collections.Concurrent;
using System.Diagnostics;
using Emc.Tests;

namespace Emc.Runtime.Tests;

/// <summary>
/// Builds the C runtime through build/build-runtime.sh once per target and runs its tools. A target whose
/// toolchain or emulator is absent makes the test inconclusive with a message (build/install-test-tools.sh
/// installs them); under CI (CI=true) it fails, because CI must run it.
/// </summary>
internal static class RuntimeToolchain
{
    private static readonly ConcurrentDictionary<string, Lazy<(bool Ok, string Log)>> s_builds = new(StringComparer.Ordinal);

    public static string Script => Path.Combine(TestData.RepositoryRoot, "build", "build-runtime.sh");

    public static string ArtifactDirectory(string target) => Path.Combine(TestData.RepositoryRoot, "artifacts", "runtime", target);

    /// <summary>Builds a target (host, riscv64, cortex-m) or skips the test when its toolchain is missing.</summary>
    public static void Require(string buildTarget, params string[] tools)
    {
        foreach (string tool in tools.Append("bash"))
        {
            if (!OnPath(tool))
            {
                Missing($"{tool} is not installed (bash build/install-test-tools.sh installs it)");
            }
        }

        var (ok, log) = s_builds.GetOrAdd(buildTarget, t => new Lazy<(bool, string)>(() => Build(t))).Value;
        if (!ok)
        {
            if (log.Contains("not found", StringComparison.Ordinal))
            {
                Missing($"the {buildTarget} toolchain is missing: {log.Trim()}");
            }

            Assert.Fail($"build-runtime.sh {buildTarget} failed:{Environment.NewLine}{log}");
        }
    }

    /// <summary>Runs emcrt-run for a run target (host, host-clang, host-asan, riscv64, cortex-m4, cortex-m7).</summary>
    public static byte[] Run(string runTarget, byte[] kmodel, byte[] input, bool halfEven = false)
    {
        string dir = Path.Combine(Path.GetTempPath(), "emcrt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string model = Path.Combine(dir, "model.kmodel"), inPath = Path.Combine(dir, "input.bin"), outPath = Path.Combine(dir, "output.bin");
            File.WriteAllBytes(model, kmodel);
            File.WriteAllBytes(inPath, input);
            var args = new List<string> { Script, "run", runTarget, model, inPath, outPath };
            if (halfEven)
            {
                args.AddRange(["--rounding", "half-even"]);
            }

            var (code, output) = Execute("bash", args, TimeSpan.FromMinutes(10));
            Assert.AreEqual(0, code, $"emcrt-run on {runTarget} failed:{Environment.NewLine}{output}");
            Assert.IsTrue(File.Exists(outPath), $"emcrt-run on {runTarget} wrote no output:{Environment.NewLine}{output}");
            return File.ReadAllBytes(outPath);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    public static (int ExitCode, string Output) Execute(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {timeout}");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static (bool, string) Build(string target)
    {
        var (code, output) = Execute("bash", [Script, target], TimeSpan.FromMinutes(10));
        return (code == 0, output);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, tool)));

    private static void Missing(string why)
    {
        if (TestData.RunningInCi)
        {
            Assert.Fail($"{why}; CI must run this test.");
        }

        Assert.Inconclusive($"Skipped: {why}.");
    }
}
