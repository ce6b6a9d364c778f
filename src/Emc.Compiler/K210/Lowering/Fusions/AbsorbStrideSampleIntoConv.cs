using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A stride-2 sample still pending on the producer's KPU map (see <see cref="DeferStrideSample"/>) taken by the next
/// 1×1 conv's pool stage: pool type 5 for even coordinates, pool type 6 with a one-row shifted read for odd ones
/// (the TF-SAME stride-2 case). No extra layer.
/// </summary>
internal sealed class AbsorbStrideSampleIntoConv : IPass
{
    public static readonly AbsorbStrideSampleIntoConv Instance = new();

    public string Name => "absorb-stride-sample-into-conv";

    public string Summary => "a pending stride-2 sample of the producer becomes the next 1×1 conv's pool type (5, or 6 with a shifted read)";

    /// <summary>The full map to read, its pool type and whether the read is shifted one row, when the pending sample fits.</summary>
    public (K210Tensor? Input, KpuPoolType Pool, bool RowShift)? TryApply(LoweringContext ctx, ValueSlot inSlot)
    {
        if (inSlot.Sample is not { Stride: 2 } pending || inSlot.Kpu is not { } full
            || pending.Height != full.Height / 2 || pending.Width != full.Width / 2
            || !((pending.RowOffset == 0 && pending.ColOffset == 0)
                || (pending.RowOffset == 1 && pending.ColOffset == 1 && full.Height % 2 == 0 && full.Width % 2 == 0)))
        {
            return null;
        }

        bool rowShift = pending.RowOffset == 1;
        if (rowShift)
        {
            full.KpuTailUnits = Math.Max(full.KpuTailUnits, KpuTensorLayout.ForWidth(full.Width).RowLength);
        }

        ctx.Passes.Record(this);
        return (full, rowShift ? KpuPoolType.RightTop2S2 : KpuPoolType.LeftTop2S2, rowShift);
    }
}
