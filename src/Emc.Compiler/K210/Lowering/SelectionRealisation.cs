using System.Globalization;
using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering.Fusions;

namespace Emc.Compiler.K210.Lowering;

/// <summary>
/// Realises an output of a selection node from its element map: nothing to do when the map is the identity (an
/// alias), a view at an offset for one run, a concat of views for up to <see cref="GatherRunsByConcat.MaxRuns"/> runs;
/// more runs are rejected naming the count and the limit.
/// </summary>
internal static class SelectionRealisation
{
    /// <summary>False (after a diagnostic, or with the output marked failed) when the output cannot be realised.</summary>
    public static bool Realise(LoweringContext ctx, Node node, int outputIndex, long[] map, string what)
    {
        var output = node.Outputs[outputIndex];
        var runs = ElementRuns.Of(map);
        bool pickable = SliceAsPick.Geometry(node) is not null && !ctx.Slot(node.Inputs[0]!).Failed && ctx.Slot(node.Inputs[0]!).Float is null;
        if (runs.Count == 0)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, $"{what} selects no element for '{output.Name}' (kmodel v3 has no empty tensors)");
            return false;
        }

        if (runs.Count > GatherRunsByConcat.MaxRuns && !pickable)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, string.Create(CultureInfo.InvariantCulture,
                $"{what} copies {runs.Count} separate runs of elements into '{output.Name}'; kmodel v3 has no strided copy, and one (QUANTIZED_)CONCAT of views copies at most {GatherRunsByConcat.MaxRuns} runs"));
            return false;
        }

        var value = node.Inputs[0]!;
        var source = ctx.Slot(value).Float ?? ctx.GetMainU8(value, node);
        if (source is null)
        {
            ctx.Slot(output).Failed = true;
            return false;
        }

        var dims = LoweringContext.Chw(output.Shape!);
        var result = runs.Count == 1
            ? ViewElementRange.Instance.Apply(ctx, source, runs[0], output.Name, dims)
            : source.Type == K210ElementType.UInt8 && SliceAsPick.Geometry(node) is { } pick
                ? SliceAsPick.Instance.Apply(ctx, node, source, pick)
                : GatherRunsByConcat.Instance.Apply(ctx, node.Name, source, runs, output.Name, dims);
        var slot = ctx.Slot(output);
        if (result.Type == K210ElementType.Float32)
        {
            slot.Float = result;
        }
        else
        {
            slot.MainU8 = result;
        }

        return true;
    }
}
