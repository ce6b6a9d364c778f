using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Emc.Compiler.CodeGen;
using Emc.Compiler.CodeGen.Tail;
using Emc.Compiler.Compilation;
using Emc.Tests;

namespace Emc.Compiler.Tests.CodeGen;

/// <summary>One generated tail to run: the model whose header/wrapper carries it and the tail's input — the device outputs
/// (concatenated floats), or with <paramref name="DeviceInput"/> the kmodel's input bytes, run first through the C runtime
/// (<c>&lt;id&gt;_run</c>) or the simulator (<c>DeviceOutputs</c>).</summary>
internal sealed record TailRun(string Id, GeneratedModel Model, float[] Input, byte[]? DeviceInput = null)
{
    public HostTail Tail => Model.Tail!;

    /// <summary>A tail on its own: a stand-in kmodel whose outputs are <paramref name="deviceOutputs"/>.</summary>
    public static TailRun Alone(string id, HostTail tail, IReadOnlyList<TensorInterface> deviceOutputs, float[] input)
    {
        byte[] blob = [3, 0, 0, 0, 1];
        var iface = new ModelInterface([new TensorInterface("input", [1, 3, 8, 8], InterfaceElementType.UInt8, 1 / 255f, 0)], deviceOutputs);
        return new TailRun(id, new GeneratedModel(id, id + ".onnx", blob, iface, [], 64, GeneratedModel.HashOf(blob)) { Tail = tail }, input);
    }
}

/// <summary>
/// Compiles generated tails and runs them: the C header's <c>&lt;id&gt;_tail</c> with gcc -std=c99 -Wall -Wextra -Werror
/// -pedantic, the C# wrapper's <c>Tail</c> with the SDK's csc. Each returns the tail's outputs (float32 or int64, as doubles).
/// A missing gcc or csc skips the test with a message (fails under CI=true).
/// </summary>
internal static class TailHarness
{
    public static List<double[]>[] RunC(IReadOnlyList<TailRun> runs)
    {
        Require(Which("gcc") is not null, "gcc is not installed");
        using var dir = new Scratch("emc-tail-c");
        string runtime = Path.Combine(TestData.RepositoryRoot, "src", "Emc.Runtime.C");
        string[] strict = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O1", "-ffp-contract=off", "-I", runtime];
        var objects = new List<string>();
        if (runs.Any(r => r.DeviceInput is not null))
        {
            foreach (string c in Directory.GetFiles(runtime, "*.c").Order(StringComparer.Ordinal))
            {
                string obj = Path.GetFileNameWithoutExtension(c) + ".o";
                Exec("gcc", [.. strict, "-c", c, "-o", obj], dir.Path);
                objects.Add(obj);
            }
        }

        var results = new List<double[]>[runs.Count];
        for (int r = 0; r < runs.Count; r++)
        {
            var run = runs[r];
            File.WriteAllText(dir.File(run.Id + ".h"), CHeaderGenerator.Generate(run.Model));
            File.WriteAllText(dir.File(run.Id + ".c"), CProgram(run));
            Exec("gcc", [.. strict, "-o", run.Id, run.Id + ".c", .. run.DeviceInput is null ? [] : objects, "-lm"], dir.Path);
            File.WriteAllBytes(dir.File("input.bin"), run.DeviceInput ?? MemoryMarshal.AsBytes(run.Input.AsSpan()).ToArray());
            Exec(dir.File(run.Id), [], dir.Path);
            results[r] = ReadOutputs(File.ReadAllBytes(dir.File("output.bin")), run.Tail);
        }

        return results;
    }

    /// <summary>Every header in one C++17 translation unit (-Wall -Wextra -Werror -pedantic): the tails must compile there too.</summary>
    public static void CompileAsCpp(IReadOnlyList<TailRun> runs)
    {
        Require(Which("g++") is not null, "g++ is not installed");
        using var dir = new Scratch("emc-tail-cpp");
        var main = new StringBuilder();
        foreach (var run in runs)
        {
            File.WriteAllText(dir.File(run.Id + ".h"), CHeaderGenerator.Generate(run.Model));
            main.Append("#include \"").Append(run.Id).Append(".h\"\n");
        }

        main.Append("int main() { return (int)(");
        main.Append(string.Join(" + ", runs.Select(r => CodeIdentifiers.ToMacro(r.Id) + "_TAIL_SCRATCH_BYTES")));
        main.Append("); }\n");
        File.WriteAllText(dir.File("main.cpp"), main.ToString());
        Exec("g++", ["-std=c++17", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "main.cpp"], dir.Path);
    }

    public static List<double[]>[] RunCSharp(IReadOnlyList<TailRun> runs)
    {
        string? csc = FindCsc();
        Require(csc is not null, "the .NET SDK's csc.dll was not found");
        using var dir = new Scratch("emc-tail-cs");
        var sources = new List<string>();
        var main = new StringBuilder("internal static class Program\n{\n    private static void Main(string[] args)\n    {\n");
        main.Append("        var bytes = System.IO.File.ReadAllBytes(\"input.bin\");\n        var x = new float[bytes.Length / 4];\n");
        main.Append("        System.Buffer.BlockCopy(bytes, 0, x, 0, bytes.Length / 4 * 4);\n        var output = new System.IO.MemoryStream();\n        switch (args[0])\n        {\n");
        foreach (var run in runs)
        {
            string file = dir.File(run.Id + ".cs");
            File.WriteAllText(file, CSharpWrapperGenerator.Generate(run.Model, new CSharpWrapperOptions("TailTests", run.Id, null, Public: true)));
            sources.Add(file);
            main.Append("            case \"").Append(run.Id).Append("\":\n            {\n");
            var outs = run.Tail.Outputs.Select((o, i) => $"o{i}").ToList();
            for (int i = 0; i < run.Tail.Outputs.Count; i++)
            {
                main.Append("                var o").Append(i).Append(" = new ").Append(run.Tail.Outputs[i].IsInt64 ? "long" : "float").Append('[')
                    .Append(run.Tail.Outputs[i].ElementCount).Append("];\n");
            }

            string input = run.DeviceInput is null ? "x" : $"TailTests.{run.Id}.DeviceOutputs(bytes)";
            main.Append("                TailTests.").Append(run.Id).Append(".Tail(").Append(input).Append(", ").Append(string.Join(", ", outs)).Append(");\n");
            foreach (string o in outs)
            {
                main.Append("                output.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(new System.ReadOnlySpan<").Append(
                    run.Tail.Outputs[outs.IndexOf(o)].IsInt64 ? "long" : "float").Append(">(").Append(o).Append(")));\n");
            }

            main.Append("                break;\n            }\n");
        }

        main.Append("        }\n\n        System.IO.File.WriteAllBytes(\"output.bin\", output.ToArray());\n    }\n}\n");
        File.WriteAllText(dir.File("Program.cs"), main.ToString());
        string runtime = RuntimeEnvironment.GetRuntimeDirectory();
        string[] references = [.. Directory.GetFiles(runtime, "*.dll").Where(f => !Path.GetFileName(f).Contains("Native", StringComparison.Ordinal)),
            typeof(Emc.Kmodel.KmodelFile).Assembly.Location, typeof(Emc.Diagnostics.Diagnostic).Assembly.Location];
        var args = new List<string> { csc!, "-nologo", "-target:exe", "-nullable:enable", "-langversion:latest", "-warnaserror", "-out:" + dir.File("tails.dll") };
        args.AddRange(references.Select(r => "-r:" + r));
        args.AddRange(sources);
        args.Add(dir.File("Program.cs"));
        Exec("dotnet", args, dir.Path);
        File.WriteAllText(dir.File("tails.runtimeconfig.json"), string.Create(CultureInfo.InvariantCulture,
            $"{{\"runtimeOptions\":{{\"tfm\":\"net10.0\",\"framework\":{{\"name\":\"Microsoft.NETCore.App\",\"version\":\"{Environment.Version}\"}}}}}}"));
        foreach (string dll in references.Skip(references.Length - 2))
        {
            File.Copy(dll, dir.File(Path.GetFileName(dll)), overwrite: true);
        }

        var results = new List<double[]>[runs.Count];
        for (int r = 0; r < runs.Count; r++)
        {
            File.WriteAllBytes(dir.File("input.bin"), runs[r].DeviceInput ?? MemoryMarshal.AsBytes(runs[r].Input.AsSpan()).ToArray());
            Exec("dotnet", [dir.File("tails.dll"), runs[r].Id], dir.Path);
            results[r] = ReadOutputs(File.ReadAllBytes(dir.File("output.bin")), runs[r].Tail);
        }

        return results;
    }

    /// <summary>|got − want| ≤ 1e-5·|want| + 1e-6·max|want| (the second term for sums that cancel), element by element.</summary>
    public static void AssertClose(double[] want, double[] got, string what)
    {
        Assert.HasCount(want.Length, got, what + ": element count");
        double scale = want.Length == 0 ? 0 : want.Max(Math.Abs);
        for (int i = 0; i < want.Length; i++)
        {
            double tolerance = (1e-5 * Math.Abs(want[i])) + (1e-6 * scale);
            Assert.IsTrue(Math.Abs(got[i] - want[i]) <= tolerance || (double.IsNaN(want[i]) && double.IsNaN(got[i])),
                $"{what}[{i}]: {got[i].ToString("R", CultureInfo.InvariantCulture)} vs {want[i].ToString("R", CultureInfo.InvariantCulture)}");
        }
    }

    private static string CProgram(TailRun run)
    {
        string macro = CodeIdentifiers.ToMacro(run.Id);
        bool device = run.DeviceInput is not null;
        var b = new StringBuilder("#include <stdio.h>\n#include <stdlib.h>\n");
        b.Append(device ? "#include \"emc_runtime.h\"\n" : "").Append("#include \"").Append(run.Id).Append(".h\"\n");
        int inputBytes = device ? run.DeviceInput!.Length : run.Input.Length * 4;
        b.Append("static float in[").Append((inputBytes / 4) + 2).Append("];\n");
        b.Append("static double scratch[").Append(macro).Append("_TAIL_SCRATCH_BYTES / 8u + 1u];\n");
        for (int i = 0; i < run.Tail.Outputs.Count; i++)
        {
            b.Append("static ").Append(run.Tail.Outputs[i].IsInt64 ? "int64_t" : "float").Append(" y").Append(i).Append('[').Append(macro).Append("_TAIL_OUTPUT").Append(i).Append("_COUNT + 1u];\n");
        }

        b.Append("int main(void)\n{\n    FILE *f = fopen(\"input.bin\", \"rb\");\n    const float *x = in;\n");
        b.Append("    if (!f || fread(in, 1, ").Append(inputBytes).Append(", f) != ").Append(inputBytes).Append("u)\n        return 2;\n    fclose(f);\n");
        if (device)
        {
            b.Append("    {\n        static float outputs[").Append(macro).Append("_OUTPUT_FLOAT_COUNT];\n");
            b.Append("        void *main_memory = malloc(").Append(macro).Append("_MAIN_MEMORY_USAGE + 1u), *arena = malloc(").Append(run.Id).Append("_kpu_arena_size() + 1u);\n");
            b.Append("        int status = ").Append(run.Id).Append("_run((const uint8_t *)in, outputs, main_memory, arena);\n");
            b.Append("        if (status != 0)\n            return 10 + status;\n        x = outputs;\n    }\n");
        }

        b.Append("    ").Append(run.Id).Append("_tail(x, scratch");
        for (int i = 0; i < run.Tail.Outputs.Count; i++)
        {
            b.Append(", y").Append(i);
        }

        b.Append(");\n    f = fopen(\"output.bin\", \"wb\");\n    if (!f)\n        return 3;\n");
        for (int i = 0; i < run.Tail.Outputs.Count; i++)
        {
            b.Append("    fwrite(y").Append(i).Append(", sizeof y").Append(i).Append("[0], ").Append(macro).Append("_TAIL_OUTPUT").Append(i).Append("_COUNT, f);\n");
        }

        b.Append("    fclose(f);\n    return 0;\n}\n");
        return b.ToString();
    }

    private static List<double[]> ReadOutputs(byte[] bytes, HostTail tail)
    {
        var outputs = new List<double[]>();
        int offset = 0;
        foreach (var o in tail.Outputs)
        {
            int size = o.IsInt64 ? 8 : 4;
            var span = bytes.AsSpan(offset, (int)o.ElementCount * size);
            outputs.Add(o.IsInt64 ? MemoryMarshal.Cast<byte, long>(span).ToArray().Select(v => (double)v).ToArray()
                : MemoryMarshal.Cast<byte, float>(span).ToArray().Select(v => (double)v).ToArray());
            offset += span.Length;
        }

        Assert.AreEqual(bytes.Length, offset, "output.bin holds exactly the tail's outputs");
        return outputs;
    }

    private static void Require(bool available, string why)
    {
        if (available)
        {
            return;
        }

        if (TestData.RunningInCi)
        {
            Assert.Fail(why + "; CI must run this test.");
        }

        Assert.Inconclusive("Skipped: " + why + ".");
    }

    private static string? FindCsc()
    {
        string? dotnet = Which("dotnet");
        if (dotnet is null)
        {
            return null;
        }

        string root = Path.GetDirectoryName(new FileInfo(dotnet).ResolveLinkTarget(true)?.FullName ?? dotnet)!;
        string sdk = Path.Combine(root, "sdk");
        return Directory.Exists(sdk)
            ? Directory.GetDirectories(sdk).Select(d => Path.Combine(d, "Roslyn", "bincore", "csc.dll")).Where(File.Exists).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
    }

    private static string? Which(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    private static void Exec(string file, IEnumerable<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.AreEqual(0, process.ExitCode, $"{Path.GetFileName(file)} failed:\n{stdout.Result}\n{stderr}");
    }

    private sealed class Scratch : IDisposable
    {
        public Scratch(string prefix)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
