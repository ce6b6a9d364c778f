using Emc.Compiler.Ir;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;
using Emc.Compiler.K210.Graph;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>MaxPool 2×2/s2 or 4×4/s4 (no pad) after a regular conv whose output is the full map → the KPU pool stage.</summary>
internal sealed class FuseMaxPoolIntoKpuConv : IPass
{
    public static readonly FuseMaxPoolIntoKpuConv Instance = new();

    public string Name => "fuse-max-pool-into-kpu-conv";

    public string Summary => "MaxPool 2×2/s2 or 4×4/s4 without padding after a full-map regular conv → KPU pool type 1 or 3";

    /// <summary>The pool type and the pool's output when the sole consumer of <paramref name="output"/> fuses.</summary>
    public (KpuPoolType Pool, Value Output)? TryApply(LoweringContext ctx, Value output, int height, int width)
    {
        if (ctx.SoleConsumer(output) is { OpType: "MaxPool" } mp && mp.Parameters is PoolParameters pp && mp.Outputs.Count == 1
            && FusablePool(pp.Geometry, height, width) is { } fusedPool)
        {
            ctx.Passes.Record(this);
            ctx.Consume(mp);
            return (fusedPool, mp.Outputs[0]);
        }

        return null;
    }

    /// <summary>Whether <see cref="TryApply"/> would fuse, without consuming anything.</summary>
    public bool Fuses(LoweringContext ctx, Value output, int height, int width) =>
        ctx.SoleConsumer(output) is { OpType: "MaxPool" } mp && mp.Parameters is PoolParameters pp && mp.Outputs.Count == 1
        && FusablePool(pp.Geometry, height, width) is not null;

    private static KpuPoolType? FusablePool(Evaluation.Kernels.Pool2DGeometry pg, int h, int w)
    {
        bool noPad = pg.PadTop == 0 && pg.PadLeft == 0 && pg.DilationHeight == 1 && pg.DilationWidth == 1;
        if (!noPad || pg.KernelHeight != pg.KernelWidth || pg.StrideHeight != pg.StrideWidth || pg.KernelHeight != pg.StrideHeight)
        {
            return null;
        }

        int f = pg.KernelHeight;
        if ((f != 2 && f != 4) || pg.OutputHeight != h / f || pg.OutputWidth != w / f)
        {
            return null;
        }

        return f == 2 ? KpuPoolType.Max2S2 : KpuPoolType.Max4S4;
    }

}
