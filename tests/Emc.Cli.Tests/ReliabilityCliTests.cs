using Emc.Cli.Commands;
using Emc.Cli.Inspect;
using Emc.Kmodel.Simulation;
using Emc.Onnx.Protobuf;
using Emc.Tests;
using Emc.Tests.Shared;
using Google.Protobuf;

namespace Emc.Cli.Tests;

/// <summary>Issue 15, items 3, 6 and 8: hostile inputs give coded errors and exit code 1, never a stack trace.</summary>
[TestClass]
public sealed class ReliabilityCliTests
{
    private static string Mnist => TestData.Path("real-onnx", "mnist-tiny-3x3_pytorch_joeylical", "mnist.onnx");

    private static string Iris => TestData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "iris", "iris.kmodel");

    private static byte[] Npy(string descr, string shape, byte[] body)
    {
        string header = ("{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }").PadRight(118) + "\n";
        return [0x93, .. "NUMPY"u8.ToArray(), 1, 0, (byte)header.Length, 0, .. System.Text.Encoding.ASCII.GetBytes(header), .. body];
    }

    private static byte[] Floats(params float[] v) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()).ToArray();

    private static (int Code, string Stderr) Compile(string dataset, string? mean = null, string? std = null, string? range = "0,1")
    {
        using var dir = SpecialFiles.NewFolder();
        var output = new FileInfo(dir["m.kmodel"]);
        var stderr = new StringWriter();
        int code = CompileCommand.Run(new CompileCommand.Arguments(new FileInfo(Mnist), output, [dataset], InputRange: mean is null ? range : null, Mean: mean, Std: std), new StringWriter(), stderr);
        Assert.IsTrue(code != 0 || output.Exists);
        Assert.IsTrue(code == 0 || !output.Exists, "a failed compile writes no kmodel");
        return (code, stderr.ToString());
    }

    [TestMethod]
    public void NpyWithAHugeShapeIsADatasetError()
    {
        using var dir = SpecialFiles.NewFolder();
        File.WriteAllBytes(dir["s.npy"], Npy("<f4", "(2147483647, 2147483647, 3)", Floats(1, 2, 3)));

        var (code, stderr) = Compile(dir["s.npy"]);

        Assert.AreEqual(CliRunner.Errors, code, stderr);
        StringAssert.Contains(stderr, "EMC0603");
        StringAssert.Contains(stderr, "truncated .npy data");
    }

    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    public void NonFiniteNpyIsRejectedAndNoKmodelIsWritten(float value)
    {
        using var dir = SpecialFiles.NewFolder();
        var values = Enumerable.Repeat(0.5f, 28 * 28).ToArray();
        values[17] = value;
        File.WriteAllBytes(dir["s.npy"], Npy("<f4", "(1, 1, 28, 28)", Floats(values)));

        var (code, stderr) = Compile(dir["s.npy"]);

        Assert.AreEqual(CliRunner.Errors, code, stderr);
        StringAssert.Contains(stderr, "EMC0606");
        StringAssert.Contains(stderr, "sample value 17");
        Assert.IsFalse(stderr.Contains("SQNR NaN", StringComparison.Ordinal));
    }

    [TestMethod]
    public void Uint8NpyIsTheDeviceInputBytes()
    {
        using var dir = SpecialFiles.NewFolder();
        var bytes = Enumerable.Range(0, 28 * 28).Select(i => (byte)(i % 256)).ToArray();
        File.WriteAllBytes(dir["u.npy"], Npy("|u1", "(1, 1, 28, 28)", bytes));
        var pre = new Emc.Compiler.K210.Lowering.Preprocessing([2.0 / 255], [-1], false);

        var samples = Emc.Compiler.Calibration.DatasetLoader.Load(
            new Emc.Compiler.Compilation.CompileOptions { Dataset = [dir["u.npy"]] }, Emc.Compiler.K210.Lowering.InputLayout.Planar(new Emc.Compiler.Ir.Shape(1, 1, 28, 28)), pre, new Emc.Diagnostics.DiagnosticBag());

        CollectionAssert.AreEqual(bytes, samples.Single().DeviceInput);
        Assert.AreEqual(-1f, samples[0].ModelInput[0], 1e-6);
        Assert.AreEqual(1f, samples[0].ModelInput[255], 1e-6);
    }

    [TestMethod]
    public void DegenerateStdIsAnOptionError()
    {
        var (code, stderr) = Compile("none-needed", mean: "0", std: "1e-30");

        Assert.AreEqual(CliRunner.Errors, code, stderr);
        StringAssert.Contains(stderr, "EMC0509");
        StringAssert.Contains(stderr, "std is not tiny");
    }

    private static string WriteModel(string dir, Action<GraphProto> edit)
    {
        var g = new GraphProto { Name = "g" };
        ValueInfoProto Float(string name)
        {
            var shape = new TensorShapeProto();
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 2 });
            return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
        }

        g.Input.Add(Float("x"));
        g.Output.Add(Float("y"));
        var node = new NodeProto { OpType = "Relu", Name = "relu" };
        node.Input.Add("x");
        node.Output.Add("y");
        g.Node.Add(node);
        edit(g);
        var model = new ModelProto { IrVersion = 8, Graph = g };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        string path = Path.Combine(dir, "m.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    [TestMethod]
    [DataRow("output twice")]
    [DataRow("input as output")]
    public void InspectOfRepeatedNamesPrintsAReportNotAnException(string variant)
    {
        using var dir = SpecialFiles.NewFolder();
        string path = WriteModel(dir.Path, g =>
        {
            if (variant == "output twice")
            {
                g.Output.Add(g.Output[0].Clone());
            }
            else
            {
                g.Output.Add(g.Input[0].Clone());
            }
        });

        foreach (bool json in new[] { false, true })
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = OnnxInspector.Run(path, json, stdout, stderr);
            Assert.IsTrue(code is CliRunner.Ok or CliRunner.Errors, stderr.ToString());
            Assert.IsFalse(stderr.ToString().Contains("Exception", StringComparison.Ordinal), stderr.ToString());
            StringAssert.Contains(stdout.ToString(), "x");
        }
    }

    [TestMethod]
    public void SimulateIntoAnExistingFileIsEmc0004()
    {
        using var dir = SpecialFiles.NewFolder();
        File.WriteAllBytes(dir["in.bin"], Floats(5.1f, 3.8f, 1.9f, 0.4f));
        File.WriteAllText(dir["out"], "a file");
        var stderr = new StringWriter();

        int code = SimulateCommand.Run(new FileInfo(Iris), new FileInfo(dir["in.bin"]), new DirectoryInfo(dir["out"]), false, ActivationRounding.SdkHalfUp, new StringWriter(), stderr);

        Assert.AreEqual(CliRunner.Errors, code);
        StringAssert.Contains(stderr.ToString(), "error EMC0004");
        Assert.AreEqual("a file", File.ReadAllText(dir["out"]));
    }

    [TestMethod]
    [Timeout(30000)]
    public void DeviceFilesAsModelOrInputAreRefused()
    {
        if (!File.Exists("/dev/zero"))
        {
            Assert.Inconclusive("needs /dev/zero");
        }

        using var dir = SpecialFiles.NewFolder();
        var stderr = new StringWriter();
        Assert.AreEqual(CliRunner.Errors, SimulateCommand.Run(new FileInfo("/dev/zero"), new FileInfo(Iris), new DirectoryInfo(dir["o"]), false, ActivationRounding.SdkHalfUp, new StringWriter(), stderr));
        StringAssert.Contains(stderr.ToString(), "character device");

        stderr = new StringWriter();
        Assert.AreEqual(CliRunner.Errors, SimulateCommand.Run(new FileInfo(Iris), new FileInfo("/dev/zero"), new DirectoryInfo(dir["o"]), false, ActivationRounding.SdkHalfUp, new StringWriter(), stderr));
        StringAssert.Contains(stderr.ToString(), "EMC0010");

        stderr = new StringWriter();
        Assert.AreEqual(CliRunner.Errors, InspectCommand.Run(new FileInfo("/dev/zero"), false, new StringWriter()));
    }

    [TestMethod]
    [Timeout(30000)]
    public void FifoAsModelDoesNotHang()
    {
        if (!SpecialFiles.Supported)
        {
            Assert.Inconclusive("needs mkfifo");
        }

        using var dir = SpecialFiles.NewFolder();
        SpecialFiles.MakeFifo(dir["m"]);
        SpecialFiles.MakeFifo(dir["m.kmodel"]);

        Assert.AreEqual(CliRunner.Errors, InspectCommand.Run(new FileInfo(dir["m"]), false, new StringWriter()));
        Assert.AreEqual(CliRunner.Errors, InspectCommand.Run(new FileInfo(dir["m.kmodel"]), false, new StringWriter()));
    }

    [TestMethod]
    public void CompileWritesThroughASymlinkAndRefusesSpecialOutputs()
    {
        using var dir = SpecialFiles.NewFolder();
        File.WriteAllText(dir["real.kmodel"], "old");
        SpecialFiles.Link(dir["link.kmodel"], "real.kmodel");
        var stderr = new StringWriter();

        int code = CompileCommand.Run(new CompileCommand.Arguments(new FileInfo(Mnist), new FileInfo(dir["link.kmodel"]), [], InputRange: "0,1"), new StringWriter(), stderr);

        Assert.AreEqual(CliRunner.Ok, code, stderr.ToString());
        Assert.IsNotNull(new FileInfo(dir["link.kmodel"]).LinkTarget, "the link is kept");
        Assert.IsNotNull(Emc.Kmodel.KmodelReader.ReadFile(dir["real.kmodel"]).Value, "its target got the kmodel");

        if (SpecialFiles.Supported)
        {
            SpecialFiles.MakeFifo(dir["fifo.kmodel"]);
            stderr = new StringWriter();
            Assert.AreEqual(CliRunner.Errors, CompileCommand.Run(new CompileCommand.Arguments(new FileInfo(Mnist), new FileInfo(dir["fifo.kmodel"]), [], InputRange: "0,1"), new StringWriter(), stderr));
            StringAssert.Contains(stderr.ToString(), "EMC0004");
            StringAssert.Contains(stderr.ToString(), "FIFO");
            Assert.AreEqual(Emc.IO.FileKind.Fifo, Emc.IO.SafeFile.KindOf(dir["fifo.kmodel"]), "still a FIFO");
        }

        if (File.Exists("/dev/null"))
        {
            stderr = new StringWriter();
            Assert.AreEqual(CliRunner.Errors, CompileCommand.Run(new CompileCommand.Arguments(new FileInfo(Mnist), new FileInfo("/dev/null"), [], InputRange: "0,1"), new StringWriter(), stderr));
            StringAssert.Contains(stderr.ToString(), "character device");
            Assert.AreEqual(Emc.IO.FileKind.CharacterDevice, Emc.IO.SafeFile.KindOf("/dev/null"));
        }
    }

    [TestMethod]
    public void ModelThatDoesNotFitTheDeviceMemoryIsEmc0510WithTheNumbers()
    {
        using var dir = SpecialFiles.NewFolder();
        var output = new FileInfo(dir["m.kmodel"]);
        var stderr = new StringWriter();

        int code = CompileCommand.Run(new CompileCommand.Arguments(new FileInfo(Mnist), output, [], InputRange: "0,1", DeviceMemory: 4096), new StringWriter(), stderr);

        Assert.AreEqual(CliRunner.Errors, code);
        StringAssert.Contains(stderr.ToString(), "EMC0510");
        StringAssert.Contains(stderr.ToString(), "the device has 4096");
        StringAssert.Contains(stderr.ToString(), "--device-memory");
        Assert.IsFalse(output.Exists);

        Assert.AreEqual(CliRunner.Ok, CompileCommand.Run(new CompileCommand.Arguments(new FileInfo(Mnist), output, [], InputRange: "0,1", DeviceMemory: 0), new StringWriter(), new StringWriter()));
    }

    [TestMethod]
    public void AnExceptionInACommandIsOneCodedLineNotAStackTrace()
    {
        var root = new System.CommandLine.RootCommand("test");
        var boom = new System.CommandLine.Command("boom");
        Func<System.CommandLine.ParseResult, int> action = _ => throw new InvalidOperationException("line1\nline2");
        boom.SetAction(action);
        root.Subcommands.Add(boom);
        var stderr = new StringWriter();
        var previous = Console.Error;
        Console.SetError(stderr);
        int code;
        try
        {
            code = CliRunner.Run(root, ["boom"]);
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.AreEqual(CliRunner.Errors, code);
        Assert.AreEqual("emc: error EMC0012: internal error, please report it: System.InvalidOperationException: line1\\nline2", stderr.ToString().Trim());
    }
}
