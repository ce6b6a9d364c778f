namespace Emc.Compiler.Compilation;

/// <summary>Where Gemm/MatMul layers run (spec §8 step 7, §10).</summary>
public enum FullyConnectedTarget
{
    /// <summary>The measured best (see <see cref="K210.Lowering.Fusions.FullyConnectedOnKpu"/>).</summary>
    Default,

    /// <summary>FULLY_CONNECTED: float32 on the CPU, weights stored as float (exact up to float rounding).</summary>
    Cpu,

    /// <summary>QUANTIZE → K210_ADD_PADDING → 1×1 K210_CONV on a 4×4 map → K210_REMOVE_PADDING when in, out ≤ 1024
    /// (8-bit weights and output; CPU FULLY_CONNECTED otherwise).</summary>
    Kpu,
}
