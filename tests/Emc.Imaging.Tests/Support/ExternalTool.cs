using System.Diagnostics;
using Emc.Tests;

namespace Emc.Imaging.Tests.Support;

/// <summary>
/// Runs the reference command-line tools (libjpeg-turbo-progs: djpeg/cjpeg; netpbm: bmptopnm, pnmtopng, ...)
/// used as test oracles. A missing tool skips the test (fails under CI=true); build/install-test-tools.sh installs them.
/// </summary>
internal static class ExternalTool
{
    public static string Require(string name)
    {
        string? found = Find(name);
        if (found is null)
        {
            string why = $"reference tool '{name}' is not installed (run build/install-test-tools.sh as root)";
            if (TestData.RunningInCi)
            {
                Assert.Fail(why + "; CI must run this test.");
            }

            Assert.Inconclusive("Skipped: " + why + ".");
        }

        return found!;
    }

    public static string? Find(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs a tool with the given arguments and standard input; returns standard output. Fails the test on a non-zero exit.</summary>
    public static byte[] Run(string name, IEnumerable<string> arguments, byte[]? stdin = null)
    {
        var info = new ProcessStartInfo(Require(name))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var output = new MemoryStream();
        Task copyOut = process.StandardOutput.BaseStream.CopyToAsync(output);
        Task<string> err = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
        }

        process.StandardInput.Close();
        copyOut.Wait();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Assert.Fail($"{name} {string.Join(' ', arguments)} exited with {process.ExitCode}: {err.Result}");
        }

        return output.ToArray();
    }
}
