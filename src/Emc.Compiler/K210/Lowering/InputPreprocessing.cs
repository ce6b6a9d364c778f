using System.Globalization;
using Emc.Compiler.Compilation;
using Emc.Compiler.Quantization;
using Emc.Diagnostics;

namespace Emc.Compiler.K210.Lowering;

/// <summary>The device input map from the compile options: per model channel, real = q·Scale + Offset.</summary>
internal static class InputPreprocessing
{
    /// <summary>How far (in quantization steps) a zero point may sit from an integer and still be taken as that integer.</summary>
    public const double ZeroPointNoise = 1e-5;

    /// <summary>The device input's quantization for a preprocessing map: the map itself when it is one
    /// (<see cref="Preprocessing.IsQuantization"/>), else identity (the map is then folded into the first layer's weights).</summary>
    public static QuantParam DeviceQuant(Preprocessing pre)
    {
        if (!pre.IsQuantization)
        {
            return new QuantParam(1, 0);
        }

        // A map stated in decimals (mean 0.498039…, std 0.501960…) lands within float noise of an integer zero point
        // (−127.00000003); the map meant is the integer one.
        double b = pre.Offset[0] / pre.Scale[0];
        double nearest = Math.Round(b);
        return new QuantParam(1 / pre.Scale[0], Math.Abs(b - nearest) <= ZeroPointNoise ? nearest : Math.Round(b * 32768) / 32768);
    }

    /// <summary>
    /// The map the firmware's pixels go through, as the interface states it: the device quantization, or for one map
    /// with a fractional zero point (folded into the first layer's weights) that map itself. A per-channel map has no
    /// single (scale, bias): identity.
    /// </summary>
    public static QuantParam InterfaceQuant(Preprocessing pre) =>
        !pre.IsQuantization && pre.Scale.All(v => v == pre.Scale[0]) && pre.Offset.All(v => v == pre.Offset[0])
            ? new QuantParam(1 / pre.Scale[0], pre.Offset[0] / pre.Scale[0])
            : DeviceQuant(pre);

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
    public static Preprocessing? FromOptions(CompileOptions options, int channels, DiagnosticBag diagnostics, string? path)
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
