using Emc.Compiler.Ir;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.Ops;

namespace Emc.Compiler.K210.Lowering;

/// <summary>
/// Folds what follows a Conv into its KPU layer: BatchNormalization and constant per-channel Add (into
/// weights/bias), then one activation (Relu; Clip with min ≤ 0 ≤ max — the calibrated output range clamps;
/// LeakyRelu / PRelu with one shared slope — the activation table). Each fused node must be the sole
/// consumer of the previous value.
/// </summary>
internal static class ConvFusion
{
    /// <summary>Fuses in place; returns the last fused value and the activation.</summary>
    public static (Value Output, KpuActivation Activation) FuseFollowers(LoweringContext ctx, Node conv, float[] weights, float[] bias, int perOutput)
    {
        var current = FuseLinear(ctx, conv, weights, bias, perOutput);
        return FuseActivation(ctx, current, KpuActivation.Linear);
    }

    /// <summary>Folds following BatchNormalization / constant per-channel Add nodes; returns the last fused value.</summary>
    public static Value FuseLinear(LoweringContext ctx, Node conv, float[] weights, float[] bias, int perOutput)
    {
        var current = conv.Outputs[0];
        int oc = bias.Length;
        while (ctx.SoleConsumer(current) is { } next)
        {
            if (next.OpType == "BatchNormalization" && TryFoldBatchNorm(next, weights, bias, perOutput))
            {
                ctx.Consume(next);
                current = next.Outputs[0];
                continue;
            }

            if (next.OpType == "Add" && TryFoldBiasAdd(next, current, bias, oc))
            {
                ctx.Consume(next);
                current = next.Outputs[0];
                continue;
            }

            break;
        }

        return current;
    }

    private static (Value Output, KpuActivation Activation) FuseActivation(LoweringContext ctx, Value current, KpuActivation activation)
    {
        if (ctx.SoleConsumer(current) is { } act)
        {
            bool fused = act.OpType switch
            {
                "Relu" => true,
                "Clip" => ClipBounds(act) is { } b && b.Min <= 0 && b.Max >= 0,
                "LeakyRelu" => act.Parameters is ActivationParameters { Alpha: > 0 and <= 1 } && Set(ref activation, KpuActivation.Leaky(((ActivationParameters)act.Parameters).Alpha)),
                "PRelu" => SharedSlope(act) is { } slope && slope is > 0 and <= 1 && Set(ref activation, KpuActivation.Leaky(slope)),
                _ => false,
            };
            if (fused)
            {
                ctx.Consume(act);
                current = act.Outputs[0];
            }
        }

        return (current, activation);
    }

    /// <summary>Clip bounds from attributes (opset &lt; 11) or constant inputs; null when not constant.</summary>
    public static (float Min, float Max)? ClipBounds(Node clip)
    {
        if (clip.Parameters is ClipParameters { FromAttributes: true } p)
        {
            return (p.Min, p.Max);
        }

        float min = float.NegativeInfinity, max = float.PositiveInfinity;
        if (clip.Inputs.Count > 1 && clip.Inputs[1] is { } lo)
        {
            if (lo.Constant is null)
            {
                return null;
            }

            min = lo.Constant.ToFloatArray()[0];
        }

        if (clip.Inputs.Count > 2 && clip.Inputs[2] is { } hi)
        {
            if (hi.Constant is null)
            {
                return null;
            }

            max = hi.Constant.ToFloatArray()[0];
        }

        return (min, max);
    }

    private static bool Set(ref KpuActivation target, KpuActivation value)
    {
        target = value;
        return true;
    }

    private static float? SharedSlope(Node prelu)
    {
        if (prelu.Inputs.Count < 2 || prelu.Inputs[1]?.Constant is not { } c)
        {
            return null;
        }

        var values = c.ToFloatArray();
        return values.Length > 0 && values.All(v => v == values[0]) ? values[0] : null;
    }

    private static bool TryFoldBatchNorm(Node bn, float[] weights, float[] bias, int perOutput)
    {
        if (bn.Parameters is not BatchNormParameters p || bn.Inputs.Count < 5)
        {
            return false;
        }

        var arrays = new float[4][];
        for (int i = 0; i < 4; i++)
        {
            if (bn.Inputs[i + 1]?.Constant is not { } c || c.ElementCount != bias.Length)
            {
                return false;
            }

            arrays[i] = c.ToFloatArray();
        }

        var (scale, beta, mean, variance) = (arrays[0], arrays[1], arrays[2], arrays[3]);
        for (int o = 0; o < bias.Length; o++)
        {
            double f = scale[o] / Math.Sqrt(variance[o] + (double)p.Epsilon);
            for (int i = 0; i < perOutput; i++)
            {
                weights[(o * perOutput) + i] = (float)(weights[(o * perOutput) + i] * f);
            }

            bias[o] = (float)(((bias[o] - mean[o]) * f) + beta[o]);
        }

        return true;
    }

    private static bool TryFoldBiasAdd(Node add, Value current, float[] bias, int oc)
    {
        var other = add.Inputs[0] == current ? add.Inputs[1] : add.Inputs[0];
        if (other?.Constant is not { } c || add.Outputs[0].Shape is null || current.Shape is null || !add.Outputs[0].Shape!.Equals(current.Shape))
        {
            return false;
        }

        var dims = c.Shape.Dims.ToArray();
        // Per channel under numpy broadcasting against [1,C,H,W]: [C,1,1] or [1,C,1,1]; or a scalar.
        bool perChannel = (dims.Length == 3 && dims[0] == oc && dims[1] == 1 && dims[2] == 1)
            || (dims.Length == 4 && dims[0] == 1 && dims[1] == oc && dims[2] == 1 && dims[3] == 1);
        bool scalar = c.ElementCount == 1;
        if (!perChannel && !scalar)
        {
            return false;
        }

        var values = c.ToFloatArray();
        for (int o = 0; o < oc; o++)
        {
            bias[o] += scalar ? values[0] : values[o];
        }

        return true;
    }
}
