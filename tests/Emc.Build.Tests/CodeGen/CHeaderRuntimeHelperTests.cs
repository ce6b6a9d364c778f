using Emc.Build.Tests.Support;
using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;
using Emc.Tests;

namespace Emc.Build.Tests.CodeGen;

/// <summary>
/// The header's one-call helper (<c>&lt;id&gt;_run</c>), compiled as C99 and as C++17 with -Wall -Wextra -Werror
/// -pedantic, linked with the Emc.Runtime.C sources and run on a real kmodel: its float outputs must equal the
/// C# simulator's output bytes exactly.
/// </summary>
[TestClass]
public sealed class CHeaderRuntimeHelperTests
{
    private const string Program = """
        #include <stdio.h>
        #include <stdlib.h>
        #include "emc_runtime.h"
        #include "model.h"
        int main(void)
        {
            size_t arena_size = ID_kpu_arena_size();
            uint8_t *main_memory = (uint8_t *)malloc(MACRO_MAIN_MEMORY_USAGE);
            uint8_t *arena = (uint8_t *)malloc(arena_size);
            uint8_t *input = (uint8_t *)malloc(1u << 20);
            float *outputs = (float *)malloc(MACRO_OUTPUT_FLOAT_COUNT * sizeof(float));
            FILE *in = fopen("input.bin", "rb");
            FILE *out;
            int status;
            if (!main_memory || !arena || !input || !outputs || !in || arena_size == 0u)
                return 10;
            if (fread(input, 1, 1u << 20, in) == 0u)
                return 11;
            fclose(in);
            status = ID_run(input, outputs, main_memory, arena);
            out = fopen("output.bin", "wb");
            fwrite(outputs, sizeof(float), MACRO_OUTPUT_FLOAT_COUNT, out);
            fclose(out);
            printf("status=%d arena=%u\n", status, (unsigned)arena_size);
            return status;
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
    public void RunHelperMatchesTheSimulatorByteForByte(string compiler, string standard, string source)
    {
        RequiredTool.Require("gcc");
        RequiredTool.Require(compiler);
        byte[] kmodel = File.ReadAllBytes(TestData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "20classes_yolo", "yolo.kmodel"));
        var iface = new ModelInterface(
            [new TensorInterface("input", [1, 3, 240, 320], InterfaceElementType.UInt8, 1 / 255f, 0)],
            [new TensorInterface("output", [1, 125, 7, 10], InterfaceElementType.Float32, 1, 0)]);
        var model = GeneratedModelReader.Describe("yolo", "yolo.onnx", kmodel, iface, null).Value!;
        var simulator = KmodelSimulator.Create(KmodelReader.Read(kmodel).Value!).Value!;
        byte[] input = new byte[simulator.InputBytes];
        new Random(11).NextBytes(input);
        byte[] expected = simulator.Run(input).Outputs.SelectMany(o => o.Bytes).ToArray();

        using var dir = new TempDirectory("emc-helper");
        File.WriteAllBytes(dir.File("input.bin"), input);
        byte[] actual = CompileAndRun(dir, compiler, standard, source, model);

        Assert.HasCount(expected.Length, actual, "outputs.bin must hold exactly the model's float outputs");
        CollectionAssert.AreEqual(expected, actual, "the helper's outputs must be the simulator's bytes");
    }

    [TestMethod]
    [DynamicData(nameof(Compilers))]
    public void HelpersOfTwoHostileModelsCompileInOneFileAndWrongIncludeOrderIsAnError(string compiler, string standard, string source)
    {
        RequiredTool.Require(compiler);
        using var dir = new TempDirectory("emc-helper-names");
        var a = Hostile("my-net (1)", "*/ int evil; /*");
        var b = Hostile("2nd\\net", "in\"\n??=");
        File.WriteAllText(dir.File("a.h"), CHeaderGenerator.Generate(a));
        File.WriteAllText(dir.File("b.h"), CHeaderGenerator.Generate(b));
        string runtime = Path.Combine(TestData.RepositoryRoot, "src", "Emc.Runtime.C");
        string[] flags = [standard, "-Wall", "-Wextra", "-Werror", "-pedantic", "-I", runtime, "-c", source, "-o", "main.o"];

        string uses = $"{a.Identifier}_kpu_arena_size() + {CodeIdentifiers.ToMacro(b.Identifier)}_OUTPUT_FLOAT_COUNT + "
            + $"({b.Identifier}_run(NULL, NULL, NULL, NULL) != 0)";
        File.WriteAllText(dir.File(source), $"#include \"emc_runtime.h\"\n#include \"a.h\"\n#include \"b.h\"\nint main(void) {{ return (int)({uses}); }}\n");
        var good = ProcessRunner.Run(compiler, flags, dir.Path);
        Assert.AreEqual(0, good.ExitCode, good.ToString());

        File.WriteAllText(dir.File(source), "#include \"a.h\"\n#include \"emc_runtime.h\"\nint main(void) { return 0; }\n");
        var wrongOrder = ProcessRunner.Run(compiler, flags, dir.Path);
        Assert.AreNotEqual(0, wrongOrder.ExitCode);
        StringAssert.Contains(wrongOrder.Output, "include emc_runtime.h before generated model headers");
    }

    private static GeneratedModel Hostile(string file, string name)
    {
        var iface = new ModelInterface(
            [new TensorInterface(name, [1, 3, 8, 8], InterfaceElementType.UInt8, 1 / 255f, 0)],
            [new TensorInterface(name, [1, 4], InterfaceElementType.Float32, 1, 0)]);
        var layers = new List<LayerFacts> { new(0, "FULLY_CONNECTED", false, [192], [4], "main") };
        byte[] blob = [3, 0, 0, 0, 1];
        return new GeneratedModel(CodeIdentifiers.Sanitize(file), file + "*/.onnx", blob, iface, layers, 64, GeneratedModel.HashOf(blob));
    }

    internal static byte[] CompileAndRun(TempDirectory dir, string compiler, string standard, string source, GeneratedModel model)
    {
        File.WriteAllText(dir.File("model.h"), CHeaderGenerator.Generate(model));
        File.WriteAllText(dir.File(source), Program.Replace("ID_", model.Identifier + "_", StringComparison.Ordinal)
            .Replace("MACRO_", CodeIdentifiers.ToMacro(model.Identifier) + "_", StringComparison.Ordinal));
        string runtime = Path.Combine(TestData.RepositoryRoot, "src", "Emc.Runtime.C");
        string[] strict = ["-Wall", "-Wextra", "-Werror", "-pedantic", "-O2", "-ffp-contract=off", "-I", runtime, "-I", "."];
        var objects = new List<string>();
        foreach (string c in Directory.GetFiles(runtime, "*.c"))
        {
            string obj = Path.GetFileNameWithoutExtension(c) + ".o";
            var built = ProcessRunner.Run("gcc", ["-std=c99", .. strict, "-c", c, "-o", obj], dir.Path);
            Assert.AreEqual(0, built.ExitCode, built.ToString());
            objects.Add(obj);
        }

        var link = ProcessRunner.Run(compiler, [standard, .. strict, "-o", "main", source, .. objects, "-lm"], dir.Path);
        Assert.AreEqual(0, link.ExitCode, link.ToString());
        var run = ProcessRunner.Run(dir.File("main"), [], dir.Path);
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        return File.ReadAllBytes(dir.File("output.bin"));
    }
}
