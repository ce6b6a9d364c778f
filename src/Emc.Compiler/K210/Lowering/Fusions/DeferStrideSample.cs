using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A strided conv whose sampling no pool type realises here: the stride-1 map is kept with a pending sample, which the
/// next 1×1 conv absorbs (<see cref="AbsorbStrideSampleIntoConv"/>) or a CPU pick (QUANTIZED_MAX_POOL2D 1×1 at an
/// offset) realises when a CPU layer reads it.
/// </summary>
internal sealed class DeferStrideSample : IPass
{
    public static readonly DeferStrideSample Instance = new();

    public string Name => "defer-stride-sample";

    public string Summary => "a strided conv keeps its stride-1 map with a pending sample, taken later by the next 1×1 conv or a CPU pick";
}
