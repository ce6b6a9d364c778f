using Emc.Compiler.Evaluation.Kernels;

namespace Emc.Compiler.Ops;

/// <summary>GlobalMaxPool: the maximum of each channel plane.</summary>
internal sealed class GlobalMaxPool : GlobalPoolBase
{
    public override string OpType => "GlobalMaxPool";

    protected override void Reduce(ReadOnlySpan<float> x, int plane, Span<float> y) => Pooling.GlobalMax(x, plane, y);
}
