using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Ops;

namespace Emc.Compiler.K210.Lowering;

/// <summary>MaxPool / GlobalMaxPool → QUANTIZED_MAX_POOL2D (uint8, shares the input's quantization).</summary>
internal static class MaxPoolLowering
{
    public static void Lower(LoweringContext ctx, Node node)
    {
        var input = ctx.GetMainU8(node.Inputs[0]!, node);
        if (input is null)
        {
            ctx.Slot(node.Outputs[0]).Failed = true;
            return;
        }

        int kh, kw, sh, sw, ph, pw, oh, ow;
        if (node.OpType == "GlobalMaxPool")
        {
            (kh, kw, sh, sw, ph, pw, oh, ow) = (input.Height, input.Width, 1, 1, 0, 0, 1, 1);
        }
        else if (node.Parameters is PoolParameters { Geometry: var negative } && NegativePads(negative))
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, NegativePadsMessage);
            return;
        }
        else if (node.Parameters is PoolParameters { Geometry: var g } && g.DilationHeight == 1 && g.DilationWidth == 1
            && node.Outputs.Count == 1)
        {
            (kh, kw, sh, sw, ph, pw, oh, ow) = (g.KernelHeight, g.KernelWidth, g.StrideHeight, g.StrideWidth, g.PadTop, g.PadLeft, g.OutputHeight, g.OutputWidth);
        }
        else
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "max pool with dilation or an Indices output has no kmodel v3 layer");
            return;
        }

        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.UInt8, K210MemoryKind.Main, input.Channels, oh, ow);
        output.QuantFrom = input;
        ctx.Add(new QuantizedMaxPoolLayer(node.Name, input, output, 0, input.Height, input.Width, kh, sh, ph, pw) { KernelW = kw, StrideW = sw });
        ctx.Slot(node.Outputs[0]).MainU8 = output;
    }

    /// <summary>SAME_* pooling with a stride larger than the kernel can start its windows inside the input (negative begin
    /// pad), which the kmodel pool layers cannot express. A negative end pad only trims what no window reaches.</summary>
    internal const string NegativePadsMessage = "SAME auto_pad with a stride larger than the kernel gives negative padding, which kmodel v3 pool layers cannot express";

    internal static bool NegativePads(in Evaluation.Kernels.Pool2DGeometry g) =>
        g.PadTop < 0 || g.PadLeft < 0;
}

/// <summary>AveragePool → AVERAGE_POOL2D (float, divisor = valid taps); GlobalAveragePool → GLOBAL_AVERAGE_POOL2D.</summary>
internal static class AveragePoolLowering
{
    public static void Lower(LoweringContext ctx, Node node)
    {
        var input = ctx.GetFloat(node.Inputs[0]!, node);
        if (input is null)
        {
            ctx.Slot(node.Outputs[0]).Failed = true;
            return;
        }

        if (node.OpType == "GlobalAveragePool")
        {
            var gap = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, input.Channels, 1, 1);
            ctx.Add(new GlobalAveragePoolLayer(node.Name, input, gap));
            ctx.Slot(node.Outputs[0]).Float = gap;
            return;
        }

        if (node.Parameters is not PoolParameters { Geometry: var g } p || g.DilationHeight != 1 || g.DilationWidth != 1)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "average pool with dilation has no kmodel v3 layer");
            return;
        }

        if (MaxPoolLowering.NegativePads(g))
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, MaxPoolLowering.NegativePadsMessage);
            return;
        }

        bool padded = g.PadTop > 0 || g.PadLeft > 0 || g.PadBottom > 0 || g.PadRight > 0;
        if (p.CountIncludePad && padded)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "count_include_pad = 1 with padding: AVERAGE_POOL2D divides by the valid taps only");
            return;
        }

        if (g.OutputHeight == 1 && g.OutputWidth == 1 && !padded && g.KernelHeight == g.InputHeight && g.KernelWidth == g.InputWidth)
        {
            var gap = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, input.Channels, 1, 1);
            ctx.Add(new GlobalAveragePoolLayer(node.Name, input, gap));
            ctx.Slot(node.Outputs[0]).Float = gap;
            return;
        }

        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, input.Channels, g.OutputHeight, g.OutputWidth);
        ctx.Add(new AveragePoolLayer(node.Name, input, output, g.KernelHeight, g.KernelWidth, g.StrideHeight, g.StrideWidth, g.PadTop, g.PadLeft));
        ctx.Slot(node.Outputs[0]).Float = output;
    }
}

/// <summary>Gemm / MatMul with constant weights (+ following constant Add, Relu, Clip(0,6)) → FULLY_CONNECTED.</summary>
internal static class FullyConnectedLowering
{
    public static void Lower(LoweringContext ctx, Node node)
    {
        float[]? weights = null;
        float[]? bias = null;
        int n = 0, kDim = 0;
        if (node.OpType == "Gemm" && node.Parameters is GemmParameters gp && !gp.TransA && gp.M == 1 && node.Inputs[1]?.Constant is { } b
            && (!gp.HasC || node.Inputs[2]?.Constant is not null))
        {
            (n, kDim) = (gp.N, gp.K);
            weights = ToRows(b.ToFloatArray(), gp.TransB, kDim, n, gp.Alpha);
            bias = new float[n];
            if (gp.HasC)
            {
                var c = node.Inputs[2]!.Constant!.ToFloatArray();
                for (int o = 0; o < n; o++)
                {
                    bias[o] = gp.Beta * (c.Length == 1 ? c[0] : c[o % c.Length]);
                }
            }
        }
        else if (node.OpType == "MatMul" && node.Parameters is MatMulParameters mp && mp.M == 1 && node.Inputs[1]?.Constant is { Shape.Rank: 2 } mb)
        {
            (n, kDim) = (mp.N, mp.K);
            weights = ToRows(mb.ToFloatArray(), false, kDim, n, 1);
            bias = new float[n];
        }

        if (weights is null || bias is null)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "only a batch-1 product with constant weights (transA = 0) maps to FULLY_CONNECTED");
            return;
        }

        var output = node.Outputs[0];
        if (ctx.SoleConsumer(output) is { OpType: "Add" } add && add.Inputs.FirstOrDefault(v => v != output)?.Constant is { } addC
            && (addC.ElementCount == n || addC.ElementCount == 1) && add.Outputs[0].Shape!.Equals(output.Shape))
        {
            var values = addC.ToFloatArray();
            for (int o = 0; o < n; o++)
            {
                bias[o] += values.Length == 1 ? values[0] : values[o];
            }

            ctx.Consume(add);
            output = add.Outputs[0];
        }

        if (KpuFullyConnectedLowering.TryLower(ctx, node, output, weights, bias, kDim, n))
        {
            return;
        }

        var input = ctx.GetFloat(node.Inputs[0]!, node);
        if (input is null)
        {
            ctx.Slot(output).Failed = true;
            return;
        }

        (output, int activation) = FuseActivation(ctx, output);
        var result = ctx.NewTensor(output.Name, K210ElementType.Float32, K210MemoryKind.Main, n, 1, 1);
        ctx.Add(new FullyConnectedLayer(node.Name, input, result, weights, bias, activation));
        ctx.Slot(output).Float = result;
    }

    /// <summary>A following Relu (act 1) or Clip(0, 6) (act 2), when it is the sole consumer.</summary>
    public static (Value Output, int Activation) FuseActivation(LoweringContext ctx, Value output)
    {
        if (ctx.SoleConsumer(output) is { } act)
        {
            int activation = act.OpType == "Relu" ? 1 : act.OpType == "Clip" && ConvFusion.ClipBounds(act) is { Min: 0, Max: 6 } ? 2 : 0;
            if (activation != 0)
            {
                ctx.Consume(act);
                return (act.Outputs[0], activation);
            }
        }

        return (output, 0);
    }

    /// <summary>Weights as [out][in] rows scaled by alpha.</summary>
    private static float[] ToRows(float[] b, bool transB, int k, int n, float alpha)
    {
        var rows = new float[n * k];
        for (int o = 0; o < n; o++)
        {
            for (int i = 0; i < k; i++)
            {
                rows[(o * k) + i] = alpha * (transB ? b[(o * k) + i] : b[(i * n) + o]);
            }
        }

        return rows;
    }
}

/// <summary>Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout: planar data keeps its order — an alias, no layer.</summary>
internal static class ReshapeLowering
{
    public static readonly HashSet<string> OpTypes = ["Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout"];

    public static void Lower(LoweringContext ctx, Node node)
    {
        var inSlot = ctx.Slot(node.Inputs[0]!);
        var output = node.Outputs[0];
        var (c, h, w) = LoweringContext.Chw(output.Shape!);
        var source = inSlot.Float ?? ctx.GetMainU8(node.Inputs[0]!, node);
        if (source is null)
        {
            ctx.Slot(output).Failed = true;
            return;
        }

        var alias = ctx.NewTensor(output.Name, source.Type, K210MemoryKind.Main, c, h, w);
        alias.AliasOf = source;
        alias.QuantFrom = source.Type == K210ElementType.UInt8 ? source : null;
        var slot = ctx.Slot(output);
        if (source.Type == K210ElementType.Float32)
        {
            slot.Float = alias;
        }
        else
        {
            slot.MainU8 = alias;
        }
    }
}

/// <summary>Softmax over the channels of [1, N] (or [1, N, 1, 1]) → SOFTMAX; Sigmoid → LOGISTIC; Add → ADD (float).</summary>
internal static class FloatLowerings
{
    public static void Softmax(LoweringContext ctx, Node node)
    {
        if (node.Parameters is not SoftmaxParameters { Outer: 1, Inner: 1 })
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "SOFTMAX normalises one vector: the softmax axis must hold every element (batch 1, [1, N])");
            return;
        }

        Unary(ctx, node, (i, o) => new SoftmaxLayer(node.Name, i, o));
    }

    public static void Sigmoid(LoweringContext ctx, Node node) => Unary(ctx, node, (i, o) => new LogisticLayer(node.Name, i, o));

    public static void Add(LoweringContext ctx, Node node)
    {
        if (node.Inputs[0]?.Shape is not { } a || node.Inputs[1]?.Shape is not { } b || !a.Equals(b))
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, "ADD needs two run-time inputs of the same shape (no broadcasting in kmodel v3)");
            return;
        }

        var x = ctx.GetFloat(node.Inputs[0]!, node);
        var y = ctx.GetFloat(node.Inputs[1]!, node);
        if (x is null || y is null)
        {
            ctx.Slot(node.Outputs[0]).Failed = true;
            return;
        }

        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, x.Channels, x.Height, x.Width);
        ctx.Add(new AddLayer(node.Name, x, y, output));
        ctx.Slot(node.Outputs[0]).Float = output;
    }

    public static void Concat(LoweringContext ctx, Node node)
    {
        var shape = node.Outputs[0].Shape!;
        long axis = node.Attributes.TryGetValue("axis", out var attr) ? attr.Int : 1;
        if (axis < 0)
        {
            axis += shape.Rank;
        }

        // Planar batch-1 data: concatenating along axis 1 (or any axis whose outer dims are all 1) is a byte copy.
        bool outerOnes = Enumerable.Range(0, (int)axis).All(d => shape[d] == 1);
        if (!outerOnes)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, $"concat along axis {axis} is not contiguous in planar memory (kmodel v3 CONCAT copies whole tensors)");
            return;
        }

        var inputs = new List<K210Tensor>();
        foreach (var v in node.Inputs)
        {
            var t = v is null ? null : ctx.GetFloat(v, node);
            if (t is null)
            {
                ctx.Slot(node.Outputs[0]).Failed = true;
                return;
            }

            inputs.Add(t);
        }

        var (c, h, w) = LoweringContext.Chw(shape);
        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, c, h, w);
        ctx.Add(new ConcatLayer(node.Name, inputs, output));
        ctx.Slot(node.Outputs[0]).Float = output;
    }

    private static void Unary(LoweringContext ctx, Node node, Func<K210Tensor, K210Tensor, K210Layer> create)
    {
        var input = ctx.GetFloat(node.Inputs[0]!, node);
        if (input is null)
        {
            ctx.Slot(node.Outputs[0]).Failed = true;
            return;
        }

        var output = ctx.NewTensor(node.Outputs[0].Name, K210ElementType.Float32, K210MemoryKind.Main, input.Channels, input.Height, input.Width);
        ctx.Add(create(input, output));
        ctx.Slot(node.Outputs[0]).Float = output;
    }
}
