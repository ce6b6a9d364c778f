using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// Folds the input preprocessing into the first conv. A uniform affine map with an integer zero point is the input's
/// quantization (exact, padding included). Per-channel maps, fractional zero points and a BGR swap are folded into the
/// weights and bias, which is exact only when the conv reads no padding (one integer pad_value cannot be real zero).
/// </summary>
internal sealed class FoldPreprocessingIntoFirstConv : IPass
{
    public static readonly FoldPreprocessingIntoFirstConv Instance = new();

    public string Name => "fold-preprocessing-into-first-conv";

    public string Summary => "a per-channel input map (mean/std, channel order) folds into the weights and bias of the conv reading the device input";

    public bool Apply(LoweringContext ctx, Node conv, ConvParameters p, KpuConvWeights w)
    {
        if (ctx.Preprocessing is not { } pre || w.Depthwise && pre.SwapRedBlue)
        {
            if (ctx.Preprocessing is { SwapRedBlue: true })
            {
                ctx.RejectInput(CompilerDiagnostics.Preprocessing, conv, "channel order bgr needs a regular (not depthwise) first convolution");
                return false;
            }

            return true;
        }

        int ic = w.InChannels, k2 = w.KernelSize * w.KernelSize, per = w.WeightsPerOutput;
        if (pre.SwapRedBlue)
        {
            if (ic != 3)
            {
                ctx.RejectInput(CompilerDiagnostics.Preprocessing, conv, $"channel order bgr needs 3 input channels, the model has {ic}");
                return false;
            }

            for (int o = 0; o < w.OutChannels; o++)
            {
                var span = w.Weights.AsSpan(o * per, per);
                for (int t = 0; t < k2; t++)
                {
                    (span[t], span[(2 * k2) + t]) = (span[(2 * k2) + t], span[t]);
                }
            }
        }

        bool uniform = pre.IsQuantization;
        if (uniform)
        {
            if (pre.SwapRedBlue)
            {
                ctx.Passes.Record(this);
            }

            return true;
        }

        ctx.Passes.Record(this);

        bool readsPadding = w.KernelSize == 3 && (p.Geometry.PadTop + p.Geometry.PadLeft + p.PadBottom + p.PadRight) > 0;
        if (readsPadding)
        {
            bool perChannel = !(pre.Scale.All(v => v == pre.Scale[0]) && pre.Offset.All(v => v == pre.Offset[0]));
            ctx.RejectInput(CompilerDiagnostics.Preprocessing, conv, perChannel
                ? "per-channel mean/std cannot be folded exactly into a padded 3×3 first convolution: the KPU pads with one pad_value for all channels, but real zero is a different uint8 value in each channel; use one mean/std for all channels or --input-range"
                : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"the input map puts real zero at {-pre.Offset[0] / pre.Scale[0]:G6}, between two uint8 values, so a padded 3×3 first convolution has no exact pad_value; choose a mean/std or --input-range whose zero falls on a whole pixel value"));
            return false;
        }

        // Device channel c (after the swap above) holds q with real = q·Scale[c] + Offset[c] in model order.
        for (int o = 0; o < w.OutChannels; o++)
        {
            double add = 0;
            for (int c = 0; c < ic; c++)
            {
                int mc = pre.SwapRedBlue ? 2 - c : c;
                for (int t = 0; t < (w.Depthwise ? (c == o ? k2 : 0) : k2); t++)
                {
                    int index = (o * per) + ((w.Depthwise ? 0 : c) * k2) + t;
                    add += w.Weights[index] * pre.Offset[mc];
                    w.Weights[index] = (float)(w.Weights[index] * pre.Scale[mc]);
                }
            }

            w.Bias[o] = (float)(w.Bias[o] + add);
        }

        return true;
    }
}
