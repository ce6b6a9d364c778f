using System.Globalization;
using System.Text;
using Emc.Compiler.Compilation;
using Emc.Compiler.Compilation.Stages;
using Emc.Compiler.Import.Passes;
using Emc.Compiler.K210.Lowering;

namespace Emc.Compiler.Passes;

/// <summary>
/// The compiler's passes in the order they run — the one place that lists them. Import graph passes run at the end
/// of ONNX import; then the compile stages, of which <c>lower</c> runs the lowering steps, and <c>lower-nodes</c> the
/// lowering of each op type with the fusions it may apply.
/// </summary>
public static class CompilerPipeline
{
    internal static IReadOnlyList<ICompileStage> Stages { get; } =
    [
        CheckOptions.Instance,
        SelectOutputs.Instance,
        LayerRewrites.Instance,
        SplitStridedInputConv.Instance,
        LowerToK210.Instance,
        LoadCalibrationData.Instance,
        SplitDepthwiseRanges.Instance,
        SplitFineActivations.Instance,
        Calibrate.Instance,
        ResolveQuantization.Instance,
        PlanMemory.Instance,
        EmitKmodel.Instance,
        VerifyKmodel.Instance,
        MeasureAccuracy.Instance,
        GenerateTail.Instance,
        BuildResult.Instance,
    ];

    /// <summary>Every pass with its stage and nesting depth, in pipeline order (fusions follow the lowering that applies them).</summary>
    public static IReadOnlyList<(PassStage Stage, int Depth, IPass Pass)> Entries { get; } = BuildEntries();

    /// <summary>The pipeline as text, one pass a line with its summary; with a report's counts, how often each applied
    /// (stages and lowering steps: 1 when they ran; lowerings: nodes; graph passes and fusions: places changed).</summary>
    public static string Describe(IReadOnlyList<PassCount>? counts = null)
    {
        var applied = counts?.ToDictionary(c => c.Name, c => c.Applied, StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (var (_, depth, pass) in Entries)
        {
            string times = applied is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{applied.GetValueOrDefault(pass.Name),6}  ");
            sb.Append(times).Append(' ', depth * 2).Append(pass.Name).Append(" — ").AppendLine(pass.Summary);
        }

        return sb.ToString();
    }

    /// <summary>Every pass in order with how often it applied, for the report.</summary>
    public static IReadOnlyList<PassCount> Counts(PassLog log) =>
        Entries.Select(e => new PassCount(e.Stage.ToString(), e.Pass.Name, log.Count(e.Pass.Name))).ToArray();

    private static List<(PassStage, int, IPass)> BuildEntries()
    {
        var entries = new List<(PassStage, int, IPass)>();
        entries.AddRange(ImportPasses.All.Select(p => (PassStage.Graph, 0, (IPass)p)));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in Stages)
        {
            entries.Add((PassStage.Backend, 0, stage));
            if (stage != LowerToK210.Instance)
            {
                continue;
            }

            foreach (var step in GraphLowering.Steps)
            {
                entries.Add((PassStage.Lowering, 1, step));
                entries.AddRange(step.Rewrites.Where(r => seen.Add(r.Name)).Select(r => (PassStage.Fusion, 2, r)));
                if (step is not K210.Lowering.Steps.LowerNodes)
                {
                    continue;
                }

                foreach (var lowering in LoweringTable.All)
                {
                    entries.Add((PassStage.NodeLowering, 2, lowering));
                    // A fusion shared by several lowerings is listed (and counted) under the first.
                    entries.AddRange(lowering.Rewrites.Where(r => seen.Add(r.Name)).Select(r => (PassStage.Fusion, 3, r)));
                }
            }
        }

        var duplicate = entries.GroupBy(e => e.Item3.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? entries : throw new InvalidOperationException($"pass name '{duplicate.Key}' is used twice");
    }
}
