using System.Globalization;

namespace Emc.Kmodel.Simulation;

/// <summary>Checks a K210_CONV body against the rules the simulator relies on and decodes it once.</summary>
internal static class ConvLayerDecoder
{
    private const long MaxMultiplyAccumulates = 1L << 34;
    private const long MaxScratchBytes = 64L * 1024 * 1024;

    public static KpuConvParameters? Decode(K210ConvBody body, bool eightBit, ActivationRounding rounding, LayerChecker check)
    {
        KpuLayerArgument r = body.Registers;
        int k = r.KernelSize;
        int pool = (int)r.PoolType;
        int ic = (int)r.IChNum + 1, oc = (int)r.OChNum + 1;
        int iw = (int)r.IRowWid + 1, ih = (int)r.IColHigh + 1, ow = (int)r.ORowWid + 1, oh = (int)r.OColHigh + 1;
        bool depthwise = r.DepthWiseLayer;
        var input = new KpuMapAddressing((int)r.ImageSrcAddr, ic, ih, iw, (int)r.ChannelSwitchAddr, (int)r.RowSwitchAddr, (int)r.CoefGroup);
        var output = new KpuMapAddressing((int)r.ImageDstAddr, oc, oh, ow, (int)r.WbChannelSwitchAddr, (int)r.WbRowSwitchAddr, (int)r.WbGroup);

        string S(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
        check.Require(k != 0, SimulatorDiagnostics.ConvRegisters, S($"kernel_type {r.KernelType} is neither 0 (1×1) nor 1 (3×3)"));
        int stride = KpuPooling.Stride(pool);
        check.Require(pool <= KpuPooling.MaxPoolType, SimulatorDiagnostics.ConvRegisters, S($"pool_type {pool} is not 0–9"));
        if (stride > 0)
        {
            check.Require(oh == ih / stride && ow == iw / stride, SimulatorDiagnostics.ConvRegisters,
                S($"output {ow}×{oh} is not the input {iw}×{ih} reduced by pool_type {pool} (expected {iw / stride}×{ih / stride})"));
        }

        check.Require(!depthwise || ic == oc, SimulatorDiagnostics.ConvRegisters, S($"depthwise layer has {ic} input but {oc} output channels"));
        check.Kpu("input (image_src_addr, channel_switch_addr, row_switch_addr, coef_group)", input);
        check.Kpu("output (image_dst_addr, wb_channel_switch_addr, wb_row_switch_addr, wb_group)", output);

        int bytesPerWeight = eightBit ? 1 : 2;
        long perOutput = (depthwise ? 1L : ic) * k * k;
        long weightBytes = perOutput * oc * bytesPerWeight;
        check.Require(body.Weights.Length >= weightBytes, SimulatorDiagnostics.ConvRegisters,
            S($"weights hold {body.Weights.Length} bytes, the registers need {weightBytes}"));
        check.Require(body.BatchNorm.Length >= oc, SimulatorDiagnostics.ConvRegisters,
            S($"batch-norm table has {body.BatchNorm.Length} entries for {oc} output channels"));
        check.Require(body.Activation.Segments.Length == KpuActivation.SegmentCount, SimulatorDiagnostics.ConvRegisters,
            S($"activation table has {body.Activation.Segments.Length} segments, not 16"));

        long outputBytes = (long)oc * oh * ow;
        if (body.MainMemOut)
        {
            check.Main("main_mem_out_address", body.MainMemOutAddress, outputBytes);
        }

        long grid = KpuPooling.PickOrigin(pool) is null ? (long)ih * iw : (long)oh * ow;
        check.AddWork(LayerChecker.Product(oc, perOutput, grid));
        check.Require(
            LayerChecker.Product(oc, perOutput, grid) <= MaxMultiplyAccumulates && (long)ic * ih * iw <= MaxScratchBytes && oc * grid <= MaxScratchBytes,
            SimulatorDiagnostics.TooLarge,
            S($"{ic}×{ih}×{iw} → {oc} channels with {k}×{k} kernels exceeds the simulator's work limits"));

        if (check.Failed)
        {
            return null;
        }

        int[] weights = new int[perOutput * oc];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = eightBit ? body.Weights[i] : body.Weights[2 * i] | (body.Weights[(2 * i) + 1] << 8);
        }

        var segments = body.Activation.Segments;
        Span<long> start = stackalloc long[16];
        Span<int> mul = stackalloc int[16];
        Span<int> shift = stackalloc int[16];
        Span<byte> bias = stackalloc byte[16];
        for (int i = 0; i < 16; i++)
        {
            (start[i], mul[i], shift[i], bias[i]) = (segments[i].XStart, segments[i].YMul, segments[i].Shift, segments[i].Bias);
        }

        long[] normMul = body.BatchNorm.Take(oc).Select(b => (long)b.NormMul).ToArray();
        int[] normShift = body.BatchNorm.Take(oc).Select(b => b.NormShift).ToArray();
        long[] normAdd = body.BatchNorm.Take(oc).Select(b => (long)b.NormAdd).ToArray();
        return new KpuConvParameters
        {
            KernelSize = k,
            Depthwise = depthwise,
            PoolType = pool,
            PadValue = r.PadValue,
            Input = input,
            Output = output,
            ArgX = r.ArgX,
            ShrX = (int)r.ShrX,
            ArgW = r.ArgW,
            ShrW = (int)r.ShrW,
            ArgAdd = r.ArgAdd,
            Weights = weights,
            EightBitWeights = eightBit,
            NormMul = normMul,
            NormShift = normShift,
            NormAdd = normAdd,
            Activation = new KpuActivation(start, mul, shift, bias, rounding),
            // Activation table: at most 16 entries per value a run computes (2^14 minimum), see ActivationLookup.
            OutputStage = new KpuOutputStage(normMul, normShift, normAdd, start, mul, shift, bias, rounding,
                Math.Max(1L << 14, 16 * LayerChecker.Product(oc, grid))),
            MainMemOut = body.MainMemOut ? body.MainMemOutAddress : -1,
        };
    }
}
