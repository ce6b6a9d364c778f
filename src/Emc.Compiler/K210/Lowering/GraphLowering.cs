using System.Globalization;
using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.Quantization;
using Emc.Diagnostics;

namespace Emc.Compiler.K210.Lowering;

/// <summary>
/// Lowers a float IR graph (batch 1, NCHW) to K210 layers in execution order. Every node that cannot be
/// realised gets a diagnostic naming node, op and limit; lowering continues so all problems surface in one pass.
/// </summary>
public static class GraphLowering
{
    public static K210Model? Lower(Ir.Graph graph, CompileOptions options, DiagnosticBag diagnostics)
    {
        var ctx = new LoweringContext(graph, options, diagnostics);
        if (graph.Inputs.Count != 1 || graph.Inputs[0].Shape is not { Rank: 4 } inShape || inShape[0] != 1)
        {
            diagnostics.Add(CompilerDiagnostics.UnsupportedInput.Create(
                $"the model must have one input of shape [1, C, H, W] (kmodel v3 feeds one uint8 planar image to the first KPU convolution); it has {string.Join(", ", graph.Inputs.Select(i => i.ToString()))}",
                graph.SourcePath));
            return null;
        }

        var input = graph.Inputs[0];
        var pre = Preprocessing(options, inShape[1], diagnostics, graph.SourcePath);
        if (pre is null)
        {
            return null;
        }

        // The device input stands for the graph input after any folded normalization (Sub/Div … by constants).
        if (InputNormalization.Fold(ctx, input, pre) is not var (fed, folded))
        {
            return null;
        }

        pre = folded;
        ctx.Preprocessing = pre;
        var device = ctx.NewTensor(input.Name, K210ElementType.UInt8, K210MemoryKind.Kpu, inShape[1], inShape[2], inShape[3]);
        device.IsDeviceInput = true;
        device.Quant = DeviceQuant(pre);
        ctx.Model.Input = device;
        ctx.Slot(input).Kpu = device;
        ctx.Slot(fed).Kpu = device;

        if (fed.Consumers.Count != 1 || fed.Consumers[0].OpType != "Conv")
        {
            string what = fed == input ? $"the input '{input.Name}'" : $"the input '{input.Name}' (normalized as '{fed.Name}')";
            diagnostics.Add(CompilerDiagnostics.UnsupportedInput.Create(
                $"{what} must feed exactly one Conv (the device delivers the image to the first KPU convolution only); it feeds {string.Join(", ", fed.Consumers.Select(c => $"{c.OpType} '{c.Name}'"))}",
                graph.SourcePath));
        }

        foreach (var node in graph.Nodes)
        {
            if (ctx.IsConsumed(node))
            {
                continue;
            }

            if (ctx.InputsFailed(node))
            {
                // Still report what is wrong with the node itself, so one pass lists every problem.
                if (node.OpType == "Conv" && node.Parameters is Ops.ConvParameters cp && ConvLowering.Problems(node, cp) is { Count: > 0 } problems)
                {
                    ctx.Error(CompilerDiagnostics.UnsupportedConv, node, "cannot run on the KPU: " + string.Join("; ", problems));
                }
                else if (!IsKnown(node.OpType))
                {
                    ctx.Error(CompilerDiagnostics.UnsupportedOperator, node, Explain(node));
                }

                foreach (var o in node.Outputs)
                {
                    ctx.Slot(o).Failed = true;
                }

                continue;
            }

            LowerNode(ctx, node);
        }

        foreach (var output in graph.Outputs)
        {
            var slot = ctx.Slot(output);
            if (slot.Failed)
            {
                continue;
            }

            var tensor = slot.Float;
            if (tensor is null && output.Producer is { } producer)
            {
                tensor = ctx.GetFloat(output, producer);
            }

            if (tensor is not null)
            {
                ctx.Model.Outputs.Add((output.Name, tensor));
            }
        }

        if (ctx.Model.Layers.Count > 0 && (ctx.Model.Layers[0] is not KpuConvLayer first || !first.Inputs[0].IsDeviceInput))
        {
            diagnostics.Add(CompilerDiagnostics.UnsupportedInput.Create(
                "the first layer must be the KPU convolution that reads the input (SDK kpu_run_kmodel requirement)", graph.SourcePath));
        }

        KpuLimitChecks.Check(ctx);
        return diagnostics.HasErrors ? null : ctx.Model;
    }

    private static void LowerNode(LoweringContext ctx, Node node)
    {
        switch (node.OpType)
        {
            case "Conv":
                ConvLowering.Lower(ctx, node);
                break;
            case "MaxPool":
            case "GlobalMaxPool":
                MaxPoolLowering.Lower(ctx, node);
                break;
            case "AveragePool":
            case "GlobalAveragePool":
                AveragePoolLowering.Lower(ctx, node);
                break;
            case "Gemm":
            case "MatMul":
                FullyConnectedLowering.Lower(ctx, node);
                break;
            case "Softmax":
                FloatLowerings.Softmax(ctx, node);
                break;
            case "Sigmoid":
                FloatLowerings.Sigmoid(ctx, node);
                break;
            case "Add":
                QuantizedAddLowering.Lower(ctx, node);
                break;
            case "Concat":
                ConcatLowering.Lower(ctx, node);
                break;
            case "Resize":
            case "Upsample":
                ResizeLowering.Lower(ctx, node);
                break;
            case "Pad" when node.Inputs.Skip(1).All(v => v is null || v.Constant?.ToInt64Array().All(x => x == 0) != false) && node.Outputs[0].Shape!.Equals(node.Inputs[0]!.Shape):
                ReshapeLowering.Lower(ctx, node); // all-zero pads: a no-op
                break;
            default:
                if (ReshapeLowering.OpTypes.Contains(node.OpType))
                {
                    ReshapeLowering.Lower(ctx, node);
                    break;
                }

                ctx.Error(CompilerDiagnostics.UnsupportedOperator, node, Explain(node));
                break;
        }
    }

    private static bool IsKnown(string opType) =>
        opType is "Conv" or "MaxPool" or "GlobalMaxPool" or "AveragePool" or "GlobalAveragePool" or "Gemm" or "MatMul" or "Softmax"
            or "Sigmoid" or "Add" or "Concat" or "Resize" or "Upsample" or "Pad" or "Relu" or "Clip" or "LeakyRelu" or "PRelu" or "BatchNormalization"
        || ReshapeLowering.OpTypes.Contains(opType);

    private static string Explain(Node node) => node.OpType switch
    {
        "Relu" or "Clip" or "LeakyRelu" or "PRelu" or "BatchNormalization" =>
            "kmodel v3 has no CPU layer for it; it is only supported fused into a preceding Conv whose only consumer it is",
        _ => "kmodel v3 has no layer for this operator (spec §10 lists what maps)",
    };

    /// <summary>The device input's quantization for a preprocessing map: exact when uniform over channels, else
    /// identity (the per-channel map is then folded into the first conv's weights).</summary>
    public static QuantParam DeviceQuant(Preprocessing pre)
    {
        bool uniform = pre.Scale.All(v => v == pre.Scale[0]) && pre.Offset.All(v => v == pre.Offset[0]);
        return uniform ? new QuantParam(1 / pre.Scale[0], pre.Offset[0] / pre.Scale[0]) : new QuantParam(1, 0);
    }

    /// <summary>
    /// Largest |value| the device input map may produce (the float16 maximum). A pixel map beyond it is a typo or a
    /// degenerate std (e.g. 1e-30), and its quantization would be meaningless.
    /// </summary>
    public const double MaxInputMagnitude = 65504;

    private static Preprocessing? CheckRange(Preprocessing pre, DiagnosticBag diagnostics, string? path)
    {
        for (int c = 0; c < pre.Scale.Length; c++)
        {
            double a = pre.Offset[c], b = pre.Offset[c] + (255 * pre.Scale[c]);
            if (!double.IsFinite(a) || !double.IsFinite(b) || Math.Max(Math.Abs(a), Math.Abs(b)) > MaxInputMagnitude)
            {
                diagnostics.Add(CompilerDiagnostics.InvalidOptions.Create(string.Create(CultureInfo.InvariantCulture,
                    $"--mean/--std map pixels of channel {c} to [{Math.Min(a, b):G6}, {Math.Max(a, b):G6}]; the input map must be finite and within ±{MaxInputMagnitude} (check std is not tiny)"), path));
                return null;
            }
        }

        return pre;
    }

    /// <summary>The input preprocessing the options describe (per model channel), or null after a diagnostic.</summary>
    public static Preprocessing? Preprocessing(CompileOptions options, int channels, DiagnosticBag diagnostics, string? path)
    {
        bool swap = options.ChannelOrder == ChannelOrder.Bgr;
        if (options.InputRange is { } r && (options.Mean is not null || options.Std is not null))
        {
            diagnostics.Add(CompilerDiagnostics.InvalidOptions.Create("--input-range and --mean/--std are mutually exclusive", path));
            return null;
        }

        if (options.Mean is not null || options.Std is not null)
        {
            var mean = options.Mean ?? [0f];
            var std = options.Std ?? [1f];
            if ((mean.Count != 1 && mean.Count != channels) || (std.Count != 1 && std.Count != channels) || std.Any(s => s == 0))
            {
                diagnostics.Add(CompilerDiagnostics.InvalidOptions.Create($"--mean/--std need 1 or {channels} values and a non-zero std", path));
                return null;
            }

            var scale = new double[channels];
            var offset = new double[channels];
            for (int c = 0; c < channels; c++)
            {
                double m = mean[mean.Count == 1 ? 0 : c], s = std[std.Count == 1 ? 0 : c];
                scale[c] = 1 / (255.0 * s);
                offset[c] = -m / s;
            }

            return CheckRange(new Preprocessing(scale, offset, swap), diagnostics, path);
        }

        var (lo, hi) = options.InputRange ?? (0f, 1f);
        if (!float.IsFinite(lo) || !float.IsFinite(hi) || Math.Max(-lo, hi) > MaxInputMagnitude)
        {
            diagnostics.Add(CompilerDiagnostics.InvalidOptions.Create(
                string.Create(CultureInfo.InvariantCulture, $"--input-range {lo},{hi} must be finite and within ±{MaxInputMagnitude}"), path));
            return null;
        }

        if (!(hi > lo) || lo > 0 || hi < 0)
        {
            diagnostics.Add(CompilerDiagnostics.InvalidOptions.Create($"--input-range {lo},{hi} must satisfy low ≤ 0 ≤ high and low < high (the KPU pads with real zero)", path));
            return null;
        }

        return new Preprocessing(Enumerable.Repeat((hi - (double)lo) / 255.0, channels).ToArray(), Enumerable.Repeat((double)lo, channels).ToArray(), swap);
    }
}
