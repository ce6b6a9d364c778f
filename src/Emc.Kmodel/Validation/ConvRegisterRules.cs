namespace Emc.Kmodel;

/// <summary>
/// K210_CONV register checks (spec §5.2–§5.7): valid codes, shapes vs pool stride, weight loads vs
/// para_size, the layout-derived fields of §3.2, reserved bits of the registers, BN words and activation table.
/// </summary>
internal static class ConvRegisterRules
{
    private const KmodelLayerType Conv = KmodelLayerType.K210Conv;

    /// <summary>Pool stride of each pool_type 0..9 (spec §5.6).</summary>
    public static int PoolStride(uint poolType) => poolType switch
    {
        1 or 2 or 5 or 6 => 2,
        3 or 4 or 7 => 4,
        _ => 1,
    };

    public static void Check(K210ConvBody conv, int weightBytes, int index, DiagnosticSink sink)
    {
        var r = conv.Registers;
        CheckShapes(r, index, sink);
        CheckLoads(r, weightBytes, index, sink);
        CheckDerived(r, index, sink);
        if (conv.MainMemOut && (long)r.OutWidth * r.OutHeight > 65536)
        {
            Report(KmodelDiagnostics.RegisterInvalid, index, sink,
                $"a main-memory output needs OW·OH ≤ 65536 (channel_byte_num is 16 bits); it is {r.OutWidth}×{r.OutHeight}");
        }

        CheckReservedBits(conv, index, sink);
    }

    private static void CheckShapes(in KpuLayerArgument r, int index, DiagnosticSink sink)
    {
        if (r.PoolType > 9)
        {
            Report(KmodelDiagnostics.RegisterInvalid, index, sink, $"pool_type {r.PoolType} is not a known pool type (0..9)");
            return;
        }

        int stride = PoolStride(r.PoolType);
        if (r.OutWidth != r.InWidth / stride || r.OutHeight != r.InHeight / stride)
        {
            Report(KmodelDiagnostics.RegisterInvalid, index, sink,
                $"output {r.OutWidth}×{r.OutHeight} is not input {r.InWidth}×{r.InHeight} / {stride} (pool_type {r.PoolType})");
        }

        if (r.DepthWiseLayer && r.InChannels != r.OutChannels)
        {
            Report(KmodelDiagnostics.RegisterInvalid, index, sink,
                $"depthwise layer with {r.InChannels} input and {r.OutChannels} output channels");
        }
    }

    private static void CheckLoads(in KpuLayerArgument r, int weightBytes, int index, DiagnosticSink sink)
    {
        long perChannel = (long)r.KernelSize * r.KernelSize * weightBytes * (r.DepthWiseLayer ? 1 : r.InChannels);
        int occ = r.OutChannelsPerLoad;
        if (occ > r.OutChannels)
        {
            Report(KmodelDiagnostics.ConvWeightsInconsistent, index, sink,
                $"o_ch_num_coef + 1 = {occ} output channels per load exceeds the {r.OutChannels} output channels");
            return;
        }

        long expectedLoads = (r.OutChannels + occ - 1) / occ;
        long expectedPara = r.DepthWiseLayer ? perChannel * r.OutChannels : perChannel * occ;
        if (r.DepthWiseLayer)
        {
            expectedLoads = 1;
        }

        if (r.Loads != expectedLoads)
        {
            Report(KmodelDiagnostics.ConvWeightsInconsistent, index, sink,
                $"load_time + 1 = {r.Loads} loads, but {r.OutChannels} output channels at {occ} per load need {expectedLoads}");
        }

        if (r.ParaSize != expectedPara)
        {
            Report(KmodelDiagnostics.ConvWeightsInconsistent, index, sink,
                $"para_size {r.ParaSize} is not {expectedPara} bytes per load ({occ} channels × {perChannel} bytes)");
        }
    }

    private static void CheckDerived(KpuLayerArgument r, int index, DiagnosticSink sink)
    {
        var input = KpuTensorLayout.ForWidth(r.InWidth);
        var output = KpuTensorLayout.ForWidth(r.OutWidth);
        Expect(KpuRegisterFields.ChannelSwitchAddr, r.ChannelSwitchAddr, (long)input.RowLength * r.InHeight);
        Expect(KpuRegisterFields.RowSwitchAddr, r.RowSwitchAddr, input.RowLength);
        Expect(KpuRegisterFields.CoefGroup, r.CoefGroup, input.Groups);
        Expect(KpuRegisterFields.WbChannelSwitchAddr, r.WbChannelSwitchAddr, (long)output.RowLength * r.OutHeight);
        Expect(KpuRegisterFields.WbRowSwitchAddr, r.WbRowSwitchAddr, output.RowLength);
        Expect(KpuRegisterFields.WbGroup, r.WbGroup, output.Groups);
        Expect(KpuRegisterFields.ChannelByteNum, r.ChannelByteNum, ((long)r.OutWidth * r.OutHeight) - 1);
        Expect(KpuRegisterFields.DmaTotalByte, r.DmaTotalByte, ((long)r.OutWidth * r.OutHeight * r.OutChannels) - 1);

        void Expect(KpuRegisterField field, long actual, long expected)
        {
            if (actual != expected)
            {
                Report(KmodelDiagnostics.RegisterMismatch, index, sink,
                    $"{field.Name} is {actual}, the shapes ({r.InChannels}×{r.InHeight}×{r.InWidth} → {r.OutChannels}×{r.OutHeight}×{r.OutWidth}) give {expected}");
            }
        }
    }

    private static void CheckReservedBits(K210ConvBody conv, int index, DiagnosticSink sink)
    {
        for (int w = 0; w < KpuLayerArgument.WordCount; w++)
        {
            ulong reserved = conv.Registers[w] & KpuRegisterFields.ReservedMask(w);
            if (reserved != 0)
            {
                Report(KmodelDiagnostics.ReservedBitsSet, index, sink, $"register word {w} has reserved bits 0x{reserved:X16} set");
            }
        }

        for (int c = 0; c < conv.BatchNorm.Length; c++)
        {
            if (conv.BatchNorm[c].NormShift > 15)
            {
                Report(KmodelDiagnostics.RegisterInvalid, index, sink, $"batch-norm word {c} has norm_shift {conv.BatchNorm[c].NormShift} > 15");
                break;
            }
        }

        var segments = conv.Activation.Segments;
        for (int s = 1; s < segments.Length; s++)
        {
            if (segments[s].XStart < segments[s - 1].XStart)
            {
                Report(KmodelDiagnostics.RegisterMismatch, index, sink,
                    $"activation segment {s} starts at {segments[s].XStart}, below segment {s - 1} ({segments[s - 1].XStart}); starts must not decrease");
                break;
            }
        }
    }

    private static void Report(Emc.Diagnostics.DiagnosticDescriptor descriptor, int index, DiagnosticSink sink, FormattableString message) =>
        sink.Report(descriptor, index, Conv, FormattableString.Invariant(message));
}
