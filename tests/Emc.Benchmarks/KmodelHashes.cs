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
                var result = KmodelCompiler.Compile(Path.Combine(root, model), options);
                string line = result.Kmodel is { } bytes
                    ? Convert.ToHexStringLower(SHA256.HashData(bytes))
                    : "rejected " + string.Join(",", result.Diagnostics.Where(d => d.IsError).Select(d => d.Code).Distinct().Order(StringComparer.Ordinal));
                accepted += result.Kmodel is null ? 0 : 1;
                output.WriteLine($"{line}  {name}  {model}");
                if (result.Kmodel is null && name == "default")
                {
                    break; // rejected as published: the other option sets only add time
                }
            }
        }

        output.WriteLine($"# {accepted} compiled kmodels from {models.Count} models");
    }
}
