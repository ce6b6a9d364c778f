using System.Globalization;
using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;

namespace Emc.Build.Tool;

/// <summary>
/// The one line a compiled model gets in the build output (like csc's "app -> bin/app.dll"): what was built, how big,
/// where its layers run, its memory, its accuracy and what that accuracy was measured on, and the estimated time.
/// </summary>
internal static class CompileSummary
{
    public static string Line(IModelItem model, GeneratedModel facts, CompileReport? report, CompileOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        int kpu = facts.Layers.Count(l => l.OnKpu);
        var parts = new List<string>
        {
            string.Format(c, "{0:N0} bytes", facts.Kmodel.Length),
            string.Format(c, "{0} KPU + {1} CPU layers", kpu, facts.Layers.Count - kpu),
            string.Format(c, "main memory {0:N0} bytes", facts.MainMemoryUsage),
        };
        if (report is { Accuracy.Count: > 0 })
        {
            var worst = report.Accuracy.MinBy(a => a.SqnrDb)!;
            string data = options.Dataset.Count == 0
                ? "random inputs (no Dataset)"
                : string.Format(c, "{0}{1} samples of Dataset '{2}' ({3} calibration samples)",
                    worst.Samples, worst.Data == AccuracyData.HeldOutSamples ? " held-out" : "", model.GetMetadata(ModelMetadata.Dataset), report.CalibrationSamples);
            parts.Add(string.Format(c, "SQNR {0:F1} dB ({1}) on {2}", worst.SqnrDb, worst.Name, data));
        }
        else
        {
            parts.Add("no accuracy report");
        }

        if (report is { EstimatedMicroseconds: > 0 })
        {
            parts.Add(string.Format(c, "~{0:F2} ms per inference (estimated)", report.EstimatedMicroseconds / 1000));
        }

        return $"Emc: {ItemDiagnostics.Name(model)} -> {model.GetMetadata(ModelMetadata.KmodelFile)}: {string.Join(", ", parts)}";
    }
}
