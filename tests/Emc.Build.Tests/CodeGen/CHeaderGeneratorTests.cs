using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Emc.Build.Tests.Support;
using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Tests;

namespace Emc.Build.Tests.CodeGen;

/// <summary>
/// Generated headers are compiled by host gcc (C99) and g++ (C++17) with -Wall -Wextra -Werror; the program dumps
/// what the header says and the test compares it with the kmodel FILE itself (bytes, SHA-256, header fields per
/// spec §1.1) — truth that does not come from the generator.
/// </summary>
[TestClass]
public sealed class CHeaderGeneratorTests
{
    private const string Program = """
        #include <stdio.h>
        #include "model.h"
        int main(void)
        {
            FILE *blob = fopen("blob.bin", "wb");
            fwrite(ID_kmodel, 1, ID_kmodel_size, blob);
            fclose(blob);
            printf("size=%u\n", (unsigned)MACRO_KMODEL_SIZE);
            printf("layers=%u\n", (unsigned)MACRO_LAYER_COUNT);
            printf("mem=%u\n", (unsigned)MACRO_MAIN_MEMORY_USAGE);
            printf("sha=%s\n", MACRO_SHA256);
            printf("aligned=%d\n", (int)(((uintptr_t)ID_kmodel % 256u) == 0u));
            printf("in0=%s|%u|%u,%u,%u,%u\n", ID_inputs[0].name, (unsigned)ID_inputs[0].rank, (unsigned)ID_inputs[0].shape[0],
                   (unsigned)ID_inputs[0].shape[1], (unsigned)ID_inputs[0].shape[2], (unsigned)ID_inputs[0].shape[3]);
            printf("out0=%s\n", ID_outputs[0].name);
            for (unsigned i = 0; i < MACRO_LAYER_COUNT; i++)
                printf("layer=%u|%s|%u|%s\n", (unsigned)ID_layers[i].index, ID_layers[i].type, (unsigned)ID_layers[i].on_kpu, ID_layers[i].placement);
            return 0;
        }
        """;

    public static IEnumerable<object[]> Compilers =>
    [
        ["gcc", "-std=c99", "main.c"],
        ["g++", "-std=c++17", "main.cpp"],
    ];

    [TestMethod]
    [TestCategory(TestCategories.Slow)]
    [DynamicData(nameof(Compilers))]
    public void RealKmodelHeaderCompilesWarningFreeAndCarriesTheFileExactly(string compiler, string standard, string source)
    {
        byte[] kmodel = File.ReadAllBytes(TestData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "20classes_yolo", "yolo.kmodel"));
        var iface = new ModelInterface(
            [new TensorInterface("input", [1, 3, 240, 320], InterfaceElementType.UInt8, 1 / 255f, 0)],
            [new TensorInterface("output", [1, 125, 7, 10], InterfaceElementType.Float32, 1, 0)]);
        var model = GeneratedModelReader.Describe("yolo", "yolo.onnx", kmodel, iface, null).Value!;
        var output = CompileAndRun(compiler, standard, source, model, out byte[] blob);

        CollectionAssert.AreEqual(kmodel, blob, "the header's array must be the file byte for byte");
        uint layers = BinaryPrimitives.ReadUInt32LittleEndian(kmodel.AsSpan(12));
        uint mainMemory = BinaryPrimitives.ReadUInt32LittleEndian(kmodel.AsSpan(20));
        StringAssert.Contains(output, $"size={kmodel.Length}\n");
        StringAssert.Contains(output, $"layers={layers}\n");
        StringAssert.Contains(output, $"mem={mainMemory}\n");
        StringAssert.Contains(output, "sha=" + Convert.ToHexString(SHA256.HashData(kmodel)).ToLowerInvariant() + "\n");
        StringAssert.Contains(output, "aligned=1\n");
        StringAssert.Contains(output, "in0=input|4|1,3,240,320\n");

        // Layer types straight from the file's layer header table (spec §1.3); code 10240 = K210_CONV.
        var lines = output.Split('\n').Where(l => l.StartsWith("layer=", StringComparison.Ordinal)).ToList();
        Assert.HasCount((int)layers, lines);
        int tableStart = 28 + (8 * BinaryPrimitives.ReadInt32LittleEndian(kmodel.AsSpan(24)));
        for (int i = 0; i < layers; i++)
        {
            uint type = BinaryPrimitives.ReadUInt32LittleEndian(kmodel.AsSpan(tableStart + (8 * i)));
            bool conv = type == 10240;
            StringAssert.StartsWith(lines[i], $"layer={i}|" + (conv ? "K210_CONV|1|kpu" : ""), lines[i]);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Compilers))]
    public void HostileNamesCannotBreakOrInjectIntoTheHeader(string compiler, string standard, string source)
    {
        string hostileIn = "in*/ #define X \"q\"\nnext\\ line ??= é 日本";
        string hostileOut = "*/ int evil; /*";
        var iface = new ModelInterface(
            [new TensorInterface(hostileIn, [1, 3, 8, 8], InterfaceElementType.UInt8, 1 / 255f, 0)],
            [new TensorInterface(hostileOut, [1, 4], InterfaceElementType.Float32, 1, 0)]);
        var layers = new List<LayerFacts> { new(0, "FULLY_CONNECTED", false, [192], [4], "main") };
        var model = new GeneratedModel(CodeIdentifiers.Sanitize("my-net (1)"), "my-net (1)*/\n\"x\".onnx", [3, 0, 0, 0, 1], iface, layers, 64,
            GeneratedModel.HashOf([3, 0, 0, 0, 1]));
        string output = CompileAndRun(compiler, standard, source, model, out byte[] blob);

        Assert.AreEqual("my_net_1", model.Identifier);
        CollectionAssert.AreEqual(new byte[] { 3, 0, 0, 0, 1 }, blob);
        string expectedLine = "in0=" + hostileIn + "|4|1,3,8,8\n";
        Assert.IsTrue(Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(output)).Contains(expectedLine, StringComparison.Ordinal),
            "names must round-trip exactly through the C literal: " + output);
        StringAssert.Contains(output, "out0=" + hostileOut + "\n");
    }

    private static string CompileAndRun(string compiler, string standard, string source, GeneratedModel model, out byte[] blob)
    {
        RequiredTool.Require(compiler);

        using var dir = new TempDirectory("emc-header");
        File.WriteAllText(dir.File("model.h"), CHeaderGenerator.Generate(model));
        string program = Program.Replace("ID_", model.Identifier + "_", StringComparison.Ordinal)
            .Replace("MACRO_", CodeIdentifiers.ToMacro(model.Identifier) + "_", StringComparison.Ordinal);
        File.WriteAllText(dir.File(source), program);
        var build = ProcessRunner.Run(compiler, [standard, "-Wall", "-Wextra", "-Werror", "-pedantic", "-o", "main", source], dir.Path);
        Assert.AreEqual(0, build.ExitCode, build.ToString());
        var info = new System.Diagnostics.ProcessStartInfo(dir.File("main"))
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            StandardOutputEncoding = Encoding.Latin1,
        };
        using var process = System.Diagnostics.Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, output);
        blob = File.ReadAllBytes(dir.File("blob.bin"));
        return output;
    }
}
