using System.IO.Compression;
using System.Text.Json;
using Emc.Cli.Commands;
using Emc.Tests;

namespace Emc.Cli.Tests;

/// <summary><c>emc eval</c> on a small labelled folder generated from the MNIST test set (t10k) for a real MNIST CNN.</summary>
[TestClass]
public sealed class EvalCommandTests
{
    private static FileInfo Model => new(TestData.Path("real-onnx", "mnist-cnn_pytorch_baskov", "mnist_cnn_pytorch.onnx"));

    /// <summary>Writes the first <paramref name="count"/> t10k digits as 24-bit BMPs into DIR/&lt;label&gt;/NNNNN.bmp; returns (relative path, label).</summary>
    private static List<(string Path, int Label)> WriteMnist(string dir, int count)
    {
        byte[] images = Gunzip(TestData.Path("real-onnx", "mnist-t10k", "t10k-images-idx3-ubyte.gz"));
        byte[] labels = Gunzip(TestData.Path("real-onnx", "mnist-t10k", "t10k-labels-idx1-ubyte.gz"));
        var written = new List<(string, int)>();
        for (int i = 0; i < count; i++)
        {
            int label = labels[8 + i];
            string relative = Path.Combine(label.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{i:D5}.bmp");
            Directory.CreateDirectory(Path.Combine(dir, Path.GetDirectoryName(relative)!));
            File.WriteAllBytes(Path.Combine(dir, relative), Bmp(images.AsSpan(16 + (i * 784), 784), 28, 28));
            written.Add((relative, label));
        }

        return written;
    }

    private static byte[] Gunzip(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Bmp(ReadOnlySpan<byte> gray, int w, int h)
    {
        int row = ((w * 3) + 3) & ~3;
        var bytes = new byte[54 + (row * h)];
        bytes[0] = (byte)'B';
        bytes[1] = (byte)'M';
        BitConverter.TryWriteBytes(bytes.AsSpan(2), bytes.Length);
        BitConverter.TryWriteBytes(bytes.AsSpan(10), 54);
        BitConverter.TryWriteBytes(bytes.AsSpan(14), 40);
        BitConverter.TryWriteBytes(bytes.AsSpan(18), w);
        BitConverter.TryWriteBytes(bytes.AsSpan(22), h);
        BitConverter.TryWriteBytes(bytes.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(bytes.AsSpan(28), (short)24);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                byte v = gray[(y * w) + x];
                int at = 54 + ((h - 1 - y) * row) + (x * 3);
                bytes[at] = bytes[at + 1] = bytes[at + 2] = v;
            }
        }

        return bytes;
    }

    private static DirectoryInfo NewDir()
    {
        var dir = new DirectoryInfo(Path.Combine(Path.GetTempPath(), "emc-eval-" + Guid.NewGuid().ToString("N")));
        dir.Create();
        return dir;
    }

    [TestMethod]
    public void ClassFoldersGiveTopOneTopFiveAgreementAndWorstClasses()
    {
        var dir = NewDir();
        try
        {
            var written = WriteMnist(dir.FullName, 60);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = EvalCommand.Run(new EvalCommand.Arguments(Model, dir, InputRange: "0,1", Json: true), stdout, stderr);
            Assert.AreEqual(0, code, stderr.ToString());
            Assert.AreEqual(string.Empty, stderr.ToString(), "no progress when stderr is not a terminal");
            using var doc = JsonDocument.Parse(stdout.ToString());
            var root = doc.RootElement;
            Assert.AreEqual(60, root.GetProperty("images").GetInt32());
            Assert.AreEqual(written.Select(w => w.Label).Distinct().Count(), root.GetProperty("classes").GetInt32());
            double floatTop1 = root.GetProperty("floatModel").GetProperty("top1").GetDouble();
            double kTop1 = root.GetProperty("kmodel").GetProperty("top1").GetDouble();
            Assert.IsTrue(floatTop1 >= 0.9, $"float top-1 {floatTop1}");
            Assert.IsTrue(kTop1 >= 0.9, $"kmodel top-1 {kTop1}");
            Assert.IsTrue(root.GetProperty("kmodel").GetProperty("top5").GetDouble() >= kTop1);
            Assert.IsTrue(root.GetProperty("top1Agreement").GetDouble() >= 0.95);
            foreach (var c in root.GetProperty("worstClasses").EnumerateArray())
            {
                Assert.IsTrue(c.GetProperty("kmodelTop1").GetDouble() < 1, "only classes with a miss are listed");
                Assert.IsTrue(c.GetProperty("mistakenFor").GetArrayLength() > 0);
            }
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestMethod]
    public void LabelsFileWithClassNamesAndAGivenKmodel()
    {
        var dir = NewDir();
        try
        {
            var images = WriteMnist(dir.FullName, 30);
            // Compile once (calibrated on the same images), then evaluate that kmodel from a labels file.
            var kmodel = new FileInfo(Path.Combine(dir.FullName, "m.kmodel"));
            Assert.AreEqual(0, CompileCommand.Run(new CompileCommand.Arguments(Model, kmodel, [dir.FullName], InputRange: "0,1"), new StringWriter(), new StringWriter()));
            string names = Path.Combine(dir.FullName, "names.txt");
            File.WriteAllLines(names, ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]);
            string[] word = File.ReadAllLines(names);
            string labels = Path.Combine(dir.FullName, "labels.txt");
            File.WriteAllLines(labels, images.Select((x, i) => $"{x.Path.Replace('\\', '/')} {(i % 2 == 0 ? x.Label.ToString(System.Globalization.CultureInfo.InvariantCulture) : word[x.Label])}"));

            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = EvalCommand.Run(new EvalCommand.Arguments(Model, dir, Labels: new FileInfo(labels), ClassNames: new FileInfo(names), Kmodel: kmodel, InputRange: "0,1"), stdout, stderr);
            Assert.AreEqual(0, code, stderr.ToString());
            string text = stdout.ToString();
            StringAssert.Contains(text, "eval: 30 images");
            StringAssert.Contains(text, "float model");
            StringAssert.Contains(text, "kmodel (simulated)");
            StringAssert.Contains(text, "top-1 agreement");
            StringAssert.Contains(text, "worst classes");

            File.AppendAllLines(labels, ["missing.bmp 3", "no-label-here"]);
            stderr = new StringWriter();
            Assert.AreEqual(CliRunner.Errors, EvalCommand.Run(new EvalCommand.Arguments(Model, dir, Labels: new FileInfo(labels), Kmodel: kmodel), new StringWriter(), stderr));
            StringAssert.Contains(stderr.ToString(), "EMC0001");
            StringAssert.Contains(stderr.ToString(), "EMC0011");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [TestMethod]
    public void ProgressIsShownWhenAsked()
    {
        var dir = NewDir();
        try
        {
            WriteMnist(dir.FullName, 12);
            var stderr = new StringWriter();
            Assert.AreEqual(0, EvalCommand.Run(new EvalCommand.Arguments(Model, dir, InputRange: "0,1", Progress: true), new StringWriter(), stderr));
            StringAssert.Contains(stderr.ToString(), "emc eval: calibration 12/12");
            StringAssert.Contains(stderr.ToString(), "emc eval: eval 12/12");
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
