using Emc.Compiler.Ir;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>Add of a constant with one value per output (or a scalar) after Gemm/MatMul → the FC bias.</summary>
internal sealed class FoldFullyConnectedBiasAdd : IPass
{
    public static readonly FoldFullyConnectedBiasAdd Instance = new();

    public string Name => "fold-fully-connected-bias-add";

    public string Summary => "Add of a per-output or scalar constant after Gemm/MatMul folds into the FULLY_CONNECTED bias";

    /// <summary>Adds the constant to <paramref name="bias"/> when the sole consumer matches; returns the last value.</summary>
    public Value Apply(LoweringContext ctx, Value output, float[] bias)
    {
        int n = bias.Length;
        if (ctx.SoleConsumer(output) is { OpType: "Add" } add && add.Inputs.FirstOrDefault(v => v != output)?.Constant is { } addC
            && (addC.ElementCount == n || addC.ElementCount == 1) && add.Outputs[0].Shape!.Equals(output.Shape))
        {
            var values = addC.ToFloatArray();
            for (int o = 0; o < n; o++)
            {
                bias[o] += values.Length == 1 ? values[0] : values[o];
            }

            ctx.Passes.Record(this);
            ctx.Consume(add);
            return add.Outputs[0];
        }

        return output;
    }
}
