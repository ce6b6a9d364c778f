using System.Security.Cryptography;
using Emc.Compiler.Compilation;

namespace Emc.Benchmarks;

/// <summary>
/// Prints "sha256  options  model" for every testdata ONNX model the compiler accepts, under several option sets.
/// A refactoring that must not change behaviour is checked by diffing this listing before and after
/// (<c>dotnet run -c Release --project tests/Emc.Benchmarks -- kmodel-hashes &gt; hashes.txt</c>).
/// </summary>
public static class KmodelHashes
{
    public static void Run(TextWriter output)
    {
        string root = BenchmarkData.Path();
        var models = Directory.EnumerateFiles(root, "*.onnx", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Where(p => !p.Contains("/aux/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        string images = BenchmarkData.Path("real-zoo", "images");
        var variants = new (string Name, CompileOptions Options)[]
        {
            ("default", new CompileOptions()),
            ("range-1,1+images", new CompileOptions { InputRange = (-1f, 1f), Dataset = [images] }),
            ("w16+mse+fc-kpu", new CompileOptions { WeightBits = 16, Calibration = CalibrationMethod.Mse, FullyConnected = FullyConnectedTarget.Kpu }),
            ("mean-std+bgr+kld", new CompileOptions { Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f], ChannelOrder = ChannelOrder.Bgr, Calibration = CalibrationMethod.Kld }),
        };
        int accepted = 0;
        foreach (var model in models)
        {
            foreach (var (name, options) in variants)
            {
                bool compiled = Line(output, root, model, name, options);
                accepted += compiled ? 1 : 0;
                if (!compiled && name == "default")
                {
                    break; // rejected as published: the other option sets only add time
                }
            }

            // The paths the four sets above never take: --tail auto and per-channel ranges, at the shape of the model's
            // stored test input (dynamic dimensions). Tried for every model, accepted as published or not.
            var shape = StoredInputShape(Path.Combine(root, model));
            accepted += Line(output, root, model, "tail+channel+images", new CompileOptions
            {
                AutoTail = true, ActivationRanges = ActivationRanges.PerChannel, Dataset = [images], InputShapes = shape,
            }) ? 1 : 0;
        }

        output.WriteLine($"# {accepted} compiled kmodels from {models.Count} models");
    }

    private static bool Line(TextWriter output, string root, string model, string name, CompileOptions options)
    {
        var result = KmodelCompiler.Compile(Path.Combine(root, model), options);
        string line = result.Kmodel is { } bytes
            ? Convert.ToHexStringLower(SHA256.HashData(bytes))
            : "rejected " + string.Join(",", result.Diagnostics.Where(d => d.IsError).Select(d => d.Code).Distinct().Order(StringComparer.Ordinal));
        output.WriteLine($"{line}  {name}  {model}");
        return result.Kmodel is not null;
    }

    /// <summary>The shape of test_data_set_0/input_0.pb beside the model, for its dynamic dimensions; null when there is none.</summary>
    private static Dictionary<string, int[]>? StoredInputShape(string model)
    {
        string input = Path.Combine(Path.GetDirectoryName(model)!, "test_data_set_0", "input_0.pb");
        return File.Exists(input) && Emc.Compiler.Import.TensorProtoConverter.ReadFile(input).Value is { } x
            ? new Dictionary<string, int[]> { [""] = x.Shape.ToArray() }
            : null;
    }
}
