namespace Emc.Compiler.Import;

/// <summary>Op types that only appear in models quantized by another tool (QDQ or QLinear form).</summary>
internal static class QuantizedOps
{
    private static readonly HashSet<string> s_opTypes = new(StringComparer.Ordinal)
    {
        "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "QLinearConv", "QLinearMatMul",
        "ConvInteger", "MatMulInteger", "QLinearAdd", "QLinearMul", "QLinearSigmoid", "QLinearLeakyRelu",
        "QLinearAveragePool", "QLinearGlobalAveragePool", "QLinearConcat", "QLinearSoftmax", "QGemm",
        "DynamicQuantizeMatMul", "MatMulIntegerToFloat", "QAttention",
    };

    public static bool Contains(string opType) => s_opTypes.Contains(opType);
}
