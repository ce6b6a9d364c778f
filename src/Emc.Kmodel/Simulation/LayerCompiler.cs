using System.Globalization;
using Emc.Kmodel.Simulation.Steps;

namespace Emc.Kmodel.Simulation;

/// <summary>Turns each layer body into a checked <see cref="SimulationStep"/>; null when the layer cannot run.</summary>
internal static class LayerCompiler
{
    private const long MaxWindowWork = 1L << 32;

    public static SimulationStep? Compile(int index, LayerBody body, KmodelHeader header, SimulatorOptions options, LayerChecker c)
    {
        static string S(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
        const long F = 4; // float32 bytes

        switch (body)
        {
            case K210ConvBody conv:
                var parameters = ConvLayerDecoder.Decode(conv, header.EightBitWeights, options.Rounding, c);
                return parameters is null ? null : new ConvStep(index, new KpuConvEngine(parameters));

            case AddBody b:
                c.Main("in_a", b.InA, b.Count * F);
                c.Main("in_b", b.InB, b.Count * F);
                c.Main("out", b.Out, b.Count * F);
                return c.Failed ? null : new AddStep(index, b);

            case QuantizedAddBody b:
                long processed = (b.Count + 7L) / 8 * 8;
                c.Main("in_a (count rounded up to 8)", b.InA, processed);
                c.Main("in_b (count rounded up to 8)", b.InB, processed);
                c.Main("out (count rounded up to 8)", b.Out, processed);
                foreach ((string name, int shift) in new[] { ("a_shift", b.AShift), ("b_shift", b.BShift), ("out_shift", b.OutShift) })
                {
                    c.Require(shift is >= 0 and <= 63, SimulatorDiagnostics.LayerParameters, S($"{name} {shift} is not a shift of 0–63"));
                }

                return c.Failed ? null : new QuantizedAddStep(index, b);

            case GlobalAveragePool2DBody b:
                c.Main("in", b.In, LayerChecker.Product(b.KernelSize, b.Channels, F));
                c.Main("out", b.Out, b.Channels * F);
                return c.Failed ? null : new GlobalAveragePoolStep(index, b);

            case QuantizedMaxPool2DBody b:
                CheckWindow(c, b.In, b.Out, b.Window, 1);
                return c.Failed ? null : new QuantizedMaxPoolStep(index, b);

            case Pool2DBody { LayerType: KmodelLayerType.AveragePool2D } b:
                CheckWindow(c, b.In, b.Out, b.Window, F);
                return c.Failed ? null : new AveragePoolStep(index, b);

            case QuantizeBody b:
                c.Main("in", b.In, b.Count * F);
                c.Main("out", b.Out, b.Count);
                return c.Failed ? null : new QuantizeStep(index, b);

            case DequantizeBody b:
                c.Main("in", b.In, b.Count);
                c.Main("out", b.Out, b.Count * F);
                return c.Failed ? null : new DequantizeStep(index, b);

            case RequantizeBody b:
                c.Main("in", b.In, b.Count);
                c.Main("out", b.Out, b.Count);
                c.Require(b.Table.Length == 256, SimulatorDiagnostics.LayerParameters, S($"table has {b.Table.Length} entries, not 256"));
                return c.Failed ? null : new RequantizeStep(index, b);

            case L2NormalizationBody b:
                c.Main("in", b.In, b.Channels * F);
                c.Main("out", b.Out, b.Channels * F);
                return c.Failed ? null : new L2NormalizationStep(index, b);

            case SoftmaxBody b:
                c.Main("in", b.In, b.Channels * F);
                c.Main("out", b.Out, b.Channels * F);
                return c.Failed ? null : new SoftmaxStep(index, b);

            case LogisticBody b:
                c.Main("in", b.In, b.Channels * F);
                c.Main("out", b.Out, b.Channels * F);
                return c.Failed ? null : new LogisticStep(index, b);

            case ConcatBody b:
                long total = 0;
                for (int i = 0; i < b.Inputs.Count; i++)
                {
                    c.Main(S($"input {i}"), b.Inputs[i].Start, b.Inputs[i].Size);
                    total += b.Inputs[i].Size;
                }

                c.Main("out", b.Out, total);
                return c.Failed ? null : new ConcatStep(index, b);

            case FullyConnectedBody b:
                c.Main("in", b.In, b.InChannels * F);
                c.Main("out", b.Out, b.OutChannels * F);
                c.Require(b.Weights.LongLength >= (long)b.InChannels * b.OutChannels && b.Bias.LongLength >= b.OutChannels,
                    SimulatorDiagnostics.LayerParameters, S($"weights/bias arrays are shorter than {b.InChannels}×{b.OutChannels}"));
                c.AddWork(LayerChecker.Product(b.InChannels, b.OutChannels));
                return c.Failed ? null : new FullyConnectedStep(index, b);

            case TensorflowFlattenBody b when b.LayerType == KmodelLayerType.TensorflowFlatten
                                              || (b.LayerType == KmodelLayerType.QuantizedTensorflowFlatten && options.RunQuantizedFlatten):
                long element = b.LayerType == KmodelLayerType.TensorflowFlatten ? F : 1;
                long bytes = LayerChecker.Product(b.Width, b.Height, b.Channels, element);
                c.Main("in", b.In, bytes);
                c.Main("out", b.Out, bytes);
                return c.Failed ? null : new FlattenStep(index, b);

            case ResizeNearestNeighborBody b:
                long e = b.LayerType == KmodelLayerType.ResizeNearestNeighbor ? F : 1;
                long outBytes = LayerChecker.Product(b.OutWidth, b.OutHeight, b.InChannels, e);
                c.Main("in", b.In, LayerChecker.Product(b.InWidth, b.InHeight, b.InChannels, e));
                c.Main("out", b.Out, outBytes);
                c.Require(outBytes == 0 || (b.InWidth > 0 && b.InHeight > 0), SimulatorDiagnostics.LayerParameters, "input width or height is 0");
                return c.Failed ? null : new ResizeStep(index, b);

            case ChannelwiseDequantizeBody b:
                long count = LayerChecker.Product(b.Channels, b.ChannelSize);
                c.Main("in", b.In, count);
                c.Main("out", b.Out, count * F);
                return c.Failed ? null : new ChannelwiseDequantizeStep(index, b);

            case K210AddPaddingBody b:
                c.Main("main_mem_in", b.MainMemIn, b.Channels);
                c.Require(b.Channels <= 65536 && b.KpuMemOut < 32768, SimulatorDiagnostics.KpuMemoryRange, S($"{b.Channels} channels at unit {b.KpuMemOut} do not fit the KPU RAM"));
                if (!c.Failed)
                {
                    c.Kpu("kpu_mem_out", KpuMapAddressing.ForWidth((int)b.KpuMemOut, (int)b.Channels, 4, 4));
                }

                return c.Failed ? null : new AddPaddingStep(index, b);

            case K210RemovePaddingBody b:
                c.Main("main_mem_in (every 16th byte)", b.MainMemIn, b.Channels == 0 ? 0 : ((b.Channels - 1L) * 16) + 1);
                c.Main("main_mem_out", b.MainMemOut, b.Channels);
                return c.Failed ? null : new RemovePaddingStep(index, b);

            case K210UploadBody b:
                c.Main("main_mem_in", b.MainMemIn, LayerChecker.Product(b.Width, b.Height, b.Channels));
                c.Require(b.Width <= 65536 && b.Height <= 65536 && b.Channels <= 65536 && b.KpuMemOut < 32768,
                    SimulatorDiagnostics.KpuMemoryRange, S($"{b.Channels}×{b.Height}×{b.Width} at unit {b.KpuMemOut} does not fit the KPU RAM"));
                if (!c.Failed)
                {
                    c.Kpu("kpu_mem_out", KpuMapAddressing.ForWidth((int)b.KpuMemOut, (int)b.Channels, (int)b.Height, (int)b.Width));
                }

                return c.Failed ? null : new UploadStep(index, b);

            default:
                string why = body.Type == KmodelLayerType.QuantizedTensorflowFlatten
                    ? "QUANTIZED_TENSORFLOW_FLATTEN runs only with a patched kpu.c (SimulatorOptions.RunQuantizedFlatten is off)"
                    : "the SDK asserts \"Layer is not supported\" for this type";
                c.Error(SimulatorDiagnostics.UnsupportedLayer, why);
                return null;
        }
    }

    private static void CheckWindow(LayerChecker c, uint input, uint output, PoolWindow w, long element)
    {
        c.Main("in (in_w·in_h·out_c)", input, LayerChecker.Product(w.InWidth, w.InHeight, w.OutChannels, element));
        c.Main("out", output, LayerChecker.Product(w.OutWidth, w.OutHeight, w.OutChannels, element));
        long window = LayerChecker.Product(Math.Min(w.KernelWidth, w.InWidth), Math.Min(w.KernelHeight, w.InHeight));
        c.AddWork(LayerChecker.Product(w.OutWidth, w.OutHeight, w.OutChannels, Math.Max(1, window)));
        c.Require(LayerChecker.Product(w.OutWidth, w.OutHeight, w.OutChannels, Math.Max(1, window)) <= MaxWindowWork,
            SimulatorDiagnostics.TooLarge, "pool window work exceeds the simulator's limit");
    }
}
