using System.Diagnostics;
using System.Globalization;
using Emc.Cli.Commands;
using Emc.Compiler.Compilation;
using Emc.Tests;

namespace Emc.Cli.Tests;

/// <summary>
/// The HTML compile report: written by <c>emc compile --report r.html</c>, self-contained, and rendered by headless
/// Chromium (Debian package <c>chromium</c>, installed by build/install-test-tools.sh) without console errors and with
/// the key figures in the rendered DOM. Without Chromium the rendering test is skipped (it fails under CI=true).
/// </summary>
[TestClass]
public sealed class HtmlReportTests
{
    private static DirectoryInfo NewDir()
    {
        var dir = new DirectoryInfo(Path.Combine(Path.GetTempPath(), "emc-html-" + Guid.NewGuid().ToString("N")));
        dir.Create();
        return dir;
    }

    private static (FileInfo Model, List<string> Dataset) MobileNet()
    {
        var model = new FileInfo(TestData.Path("mobilenetv1-0.25-imagenet", "model.onnx"));
        string images = TestData.Path("maix-emc-mbnetv1", "mbnetv1_dataset");
        return (model, new[] { "n01440764_1063.JPEG", "tiger224.bmp" }.Select(f => Path.Combine(images, f)).ToList());
    }

    [TestMethod]
    public void CompileWritesHtmlForHtmlExtensionAndJsonOtherwise()
    {
        var (model, dataset) = MobileNet();
        var dir = NewDir();
        try
        {
            var html = new FileInfo(Path.Combine(dir.FullName, "r.html"));
            var stderr = new StringWriter();
            int code = CompileCommand.Run(new CompileCommand.Arguments(model, new FileInfo(Path.Combine(dir.FullName, "m.kmodel")), dataset, InputRange: "-1,1", Report: html), new StringWriter(), stderr);
            Assert.AreEqual(0, code, stderr.ToString());
            Assert.AreEqual(string.Empty, stderr.ToString(), "no progress when stderr is not a terminal");
            string text = File.ReadAllText(html.FullName);
            StringAssert.StartsWith(text, "<!DOCTYPE html>");
            StringAssert.Contains(text, "<svg");
            StringAssert.Contains(text, "id=\"report-data\"");
            Assert.IsFalse(text.Contains("http://", StringComparison.Ordinal) || text.Contains("https://", StringComparison.Ordinal), "self-contained: no network reference");
            Assert.IsFalse(text.Contains("<script>", StringComparison.Ordinal) || text.Contains("<script src", StringComparison.Ordinal), "no executable script");
            StringAssert.Contains(text, "@media print");

            var json = new FileInfo(Path.Combine(dir.FullName, "r.json"));
            code = CompileCommand.Run(new CompileCommand.Arguments(model, new FileInfo(Path.Combine(dir.FullName, "m2.kmodel")), dataset, InputRange: "-1,1", Report: json), new StringWriter(), stderr);
            Assert.AreEqual(0, code, stderr.ToString());
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(json.FullName));
            Assert.IsTrue(doc.RootElement.GetProperty("totals").GetProperty("estimatedMicroseconds").GetDouble() > 0);
            Assert.IsTrue(doc.RootElement.GetProperty("layers")[0].GetProperty("estimatedMicroseconds").GetDouble() > 0);
            StringAssert.Contains(doc.RootElement.GetProperty("totals").GetProperty("estimateNote").GetString(), "estimate");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestMethod]
    public void ChromiumRendersTheReportWithoutErrorsAndWithTheKeyFigures()
    {
        string chromium = RequireChromium();
        var (model, dataset) = MobileNet();
        var result = KmodelCompiler.Compile(model.FullName, new CompileOptions { Dataset = dataset, InputRange = (-1, 1) });
        Assert.IsTrue(result.Succeeded, string.Join("\n", result.Diagnostics));
        var report = result.Report!;
        var dir = NewDir();
        try
        {
            string page = Path.Combine(dir.FullName, "report.html");
            File.WriteAllBytes(page, CompileReportHtml.ToHtml(report));
            string url = new Uri(page).AbsoluteUri;

            var (dom, log) = Run(chromium, dir.FullName, "--dump-dom", url);
            var ic = CultureInfo.InvariantCulture;
            StringAssert.Contains(dom, "Estimated device time");
            StringAssert.Contains(dom, (report.EstimatedMicroseconds / 1000).ToString("F2", ic) + " ms", "the total estimate");
            StringAssert.Contains(dom, report.Accuracy[0].SqnrDb.ToString("F2", ic) + " dB", "the output's SQNR");
            StringAssert.Contains(dom, "peak main", "the main-memory peak is marked");
            StringAssert.Contains(dom, "peak KPU", "the KPU RAM peak is marked");
            StringAssert.Contains(dom, "fuse-activation-into-kpu-conv", "the passes");
            StringAssert.Contains(dom, report.Layers[^1].LayerType);
            Assert.AreEqual(report.Layers.Count, CountOf(dom, "<span class=\"unit "), "one placement badge per layer");
            AssertNoPageErrors(log);

            string shot = Path.Combine(dir.FullName, "report.png");
            (_, log) = Run(chromium, dir.FullName, $"--screenshot={shot}", "--window-size=1280,2000", url);
            AssertNoPageErrors(log);
            var png = File.ReadAllBytes(shot);
            Assert.IsTrue(png.Length > 10_000, "a non-trivial screenshot");
            CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    private static int CountOf(string text, string what)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Console messages (page script errors, blocked or failed loads) are logged as CONSOLE lines; none may appear.</summary>
    private static void AssertNoPageErrors(string log)
    {
        var bad = log.Split('\n').Where(l => l.Contains("CONSOLE", StringComparison.Ordinal) || l.Contains("Uncaught", StringComparison.Ordinal)
            || l.Contains("Failed to load resource", StringComparison.Ordinal) || l.Contains("ERR_FILE_NOT_FOUND", StringComparison.Ordinal)).ToList();
        Assert.AreEqual(0, bad.Count, "page errors:\n" + string.Join("\n", bad));
    }

    private static (string Stdout, string Stderr) Run(string chromium, string workDir, params string[] args)
    {
        var info = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir,
        };
        foreach (string a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--enable-logging=stderr", "--v=0", $"--user-data-dir={Path.Combine(workDir, "profile")}" }.Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish in 120 s");
        }

        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, "chromium failed: " + stderr.Result);
        return (stdout.Result, stderr.Result);
    }

    private static string RequireChromium()
    {
        foreach (string name in new[] { "chromium", "chromium-browser", "google-chrome" })
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                string candidate = Path.Combine(dir, name);
                if (dir.Length > 0 && File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        const string why = "headless Chromium is not installed (Debian: apt-get install chromium; build/install-test-tools.sh does it as root)";
        if (TestData.RunningInCi)
        {
            Assert.Fail(why + "; CI must run this test.");
        }

        Assert.Inconclusive("Skipped: " + why + ".");
        return "";
    }
}
