using Emc.Compiler.Evaluation.Kernels;

namespace Emc.Compiler.Ops;

/// <summary>GlobalAveragePool: the mean of each channel plane.</summary>
internal sealed class GlobalAveragePool : GlobalPoolBase
{
    public override string OpType => "GlobalAveragePool";

    protected override void Reduce(ReadOnlySpan<float> x, int plane, Span<float> y) => Pooling.GlobalAverage(x, plane, y);
}
