using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>Where a conv's kernel lands on KPU windows, per axis (<see cref="AxisWindows"/>).</summary>
internal sealed record ShiftedWindowConv(AxisWindows Rows, AxisWindows Cols)
{
    /// <summary>One window at shift (0, 0): the conv reads its input directly (no stack).</summary>
    public bool Direct => Slots == 1 && Rows.Shifts[0] == 0 && Cols.Shifts[0] == 0;

    public int Kernel => (Direct && Rows.Single && Cols.Single) || (Rows.Centred && Cols.Centred) ? 1 : 3;

    public int Slots => Rows.Shifts.Length * Cols.Shifts.Length;

    public (int Dy, int Dx) Shift(int slot) => (Rows.Shifts[slot / Cols.Shifts.Length], Cols.Shifts[slot % Cols.Shifts.Length]);
}

/// <summary>
/// Any kernel up to the KPU's input-channel and RAM limits (5×5, 7×7, 1×N, N×1, dilated, asymmetric or "valid"
/// padding) as ONE 3×3 K210_CONV over a stack of shifted copies of its input: slot w holds the input shifted by
/// (dy, dx) and the 3×3 weights of slot w are the kernel taps at offsets (dy, dx) + {−1, 0, 1}² (zero where the
/// kernel has none). The windows per axis come from <see cref="AxisWindows"/> (a shifted copy keeps the input's
/// size, which limits which taps a window may take at the map's edges: 5×5 and 7×7 "same" need 3 windows per
/// axis, "valid" or strided outputs that stay off an edge fewer). Every product is summed in one KPU accumulation
/// and rounded once, exactly like a native 3×3 layer.
///
/// The shifted copies come from the KPU itself: a 3×3 conv with a single weight 1 at tap (1 + dy, 1 + dx) writes
/// <c>x[y + dy][x + dx]</c> and, where that leaves the map, the pad_value — real zero, the conv's own padding. Its
/// output shares the input's quantization, so the copy is value-exact; shifts beyond ±1 chain such layers. The
/// CPU layers of kmodel v3 cannot do this: a QUANTIZED_MAX_POOL2D with an offset shifts, but fills with uint8 0 (real
/// zero only when the zero point is 0), and a flat address offset wraps rows into the next row instead of padding.
///
/// Compared with summing per-window convs by QUANTIZED_ADD (n convs, n − 1 adds): the adds round every partial sum to
/// uint8 and each add rounds again, so n windows give up to n half-steps of error more than a native layer, and the
/// partial maps need calibrated ranges of their own; the stack costs the same n shifted copies but one accumulation.
/// </summary>
internal sealed class StackShiftedWindows : IPass
{
    public static readonly StackShiftedWindows Instance = new();

    public string Name => "stack-shifted-windows";

    public string Summary => "a kernel the KPU does not run (k×k, 1×N, dilated, odd pads) → one 3×3 K210_CONV over KPU-shifted copies of its input";

    public static ShiftedWindowConv? Plan(ConvParameters p, ConvKernelTaps taps)
    {
        var g = p.Geometry;
        var usedRows = new bool[taps.Height];
        var usedCols = new bool[taps.Width];
        for (int i = 0; i < taps.Weights.Length; i++)
        {
            if (taps.Weights[i] != 0)
            {
                usedRows[i / taps.Width % taps.Height] = true;
                usedCols[i % taps.Width] = true;
            }
        }

        // A dilated grouped or depthwise kernel (isolated taps on both axes) takes centred windows: its chunks' convs over
        // the stack become 1×1, 9× fewer weights and KPU work (DeepLabV3: 8.65 → 4.95 MB, 204 → 185 ms estimated) for one
        // more shift layer per off-centre window. A regular conv keeps the fewest layers (its weights are not repeated
        // per group: d = 2 on 8 channels, 22 → 4.8 KB but 97 → 126 µs).
        if (taps.Group > 1 && AxisWindows.ChooseCentred(usedRows, g.PadTop, g.StrideHeight, g.InputHeight, g.OutputHeight) is { } centredRows
            && AxisWindows.ChooseCentred(usedCols, g.PadLeft, g.StrideWidth, g.InputWidth, g.OutputWidth) is { } centredCols)
        {
            return new ShiftedWindowConv(centredRows, centredCols);
        }

        var rows = AxisWindows.Choose(usedRows, g.PadTop, g.StrideHeight, g.InputHeight, g.OutputHeight);
        var cols = AxisWindows.Choose(usedCols, g.PadLeft, g.StrideWidth, g.InputWidth, g.OutputWidth);
        return rows is null || cols is null ? null : new ShiftedWindowConv(rows, cols);
    }

    /// <summary>Channels of one stack slot: the input's, rounded up to whole KPU row groups so slots are aliases.</summary>
    public static int SlotChannels(int channels, int width)
    {
        int groups = KpuTensorLayout.ForWidth(width).Groups;
        return (channels + groups - 1) / groups * groups;
    }

    /// <summary>The weights of the conv that reads the input (direct) or the stack, with their per-output length.</summary>
    public static (int InChannels, bool Depthwise, float[] Weights) MainWeights(ShiftedWindowConv plan, ConvKernelTaps taps, int inputWidth)
    {
        int k = plan.Kernel, k2 = k * k, oc = taps.OutChannels;
        bool depthwise = plan.Direct && taps.Depthwise;
        int slotChannels = plan.Direct ? taps.InChannels : SlotChannels(taps.InChannels, inputWidth);
        int inChannels = plan.Direct ? taps.InChannels : plan.Slots * slotChannels;
        int per = (depthwise ? 1 : inChannels) * k2;
        var w = new float[oc * per];
        for (int o = 0; o < oc; o++)
        {
            for (int c = 0; c < taps.PlanesPerOutput; c++)
            {
                int plane = taps.Depthwise && !depthwise ? o : c;
                for (int y = 0; y < taps.Height; y++)
                {
                    var (wy, ty) = plan.Rows.Place(y);
                    for (int x = 0; x < taps.Width; x++)
                    {
                        var (wx, tx) = plan.Cols.Place(x);
                        if (wy < 0 || wx < 0)
                        {
                            continue; // a zero tap outside every window
                        }

                        int slot = (wy * plan.Cols.Shifts.Length) + wx;
                        int channel = depthwise ? 0 : (slot * slotChannels) + plane;
                        w[(o * per) + (channel * k2) + (k == 1 ? 0 : (ty * k) + tx)] = taps[o, c, y, x];
                    }
                }
            }
        }

        return (inChannels, depthwise, w);
    }

    /// <summary>For each stack channel, the input channel it copies (−1: a zero filler of a row-group-aligned slot).</summary>
    public static int[] ChannelSources(ShiftedWindowConv plan, int channels, int width)
    {
        int slotChannels = SlotChannels(channels, width);
        return [.. Enumerable.Range(0, plan.Slots * slotChannels).Select(i => i % slotChannels < channels ? i % slotChannels : -1)];
    }

    /// <summary>The stack of shifted copies of <paramref name="input"/> in KPU RAM, or null (reported).</summary>
    public static K210Tensor? BuildStack(LoweringContext ctx, Node conv, K210Tensor input, ShiftedWindowConv plan)
    {
        if (input.IsDeviceInput && ctx.Preprocessing is { } pre
            && (pre.SwapRedBlue || !pre.IsQuantization))
        {
            ctx.Error(CompilerDiagnostics.Preprocessing, conv,
                "a per-channel mean/std or channel swap cannot be folded into a first convolution whose kernel is decomposed into shifted windows (the shifted copies pad with one pad_value); use one mean/std for all channels or --input-range");
            return null;
        }

        ctx.Passes.Record(Instance);
        int c = input.Channels, h = input.Height, w = input.Width;
        int slotChannels = SlotChannels(c, w);
        var layout = KpuTensorLayout.ForWidth(w);
        var stack = ctx.NewTensor(conv.Outputs[0].Name + ".windows", K210ElementType.UInt8, K210MemoryKind.Kpu, plan.Slots * slotChannels, h, w);
        stack.QuantFrom = input;
        // Copies already made, by shift. A copy of a copy is exact when both moves go the same way on each axis (what
        // the first move dropped off the map the second would drop too), so each slot starts from the nearest one.
        var made = new List<(int Dy, int Dx, K210Tensor Map)> { (0, 0, input) };
        foreach (int s in Enumerable.Range(0, plan.Slots).OrderBy(s => Steps(plan.Shift(s), (0, 0))))
        {
            var slot = ctx.NewTensor($"{stack.Name}[{s}]", K210ElementType.UInt8, K210MemoryKind.Kpu, slotChannels, h, w);
            slot.AliasOf = stack;
            slot.AliasOffset = (long)(s * slotChannels / layout.Groups) * layout.RowLength * h;
            slot.QuantFrom = input;
            var target = plan.Shift(s);
            var (fy, fx, source) = made.Where(m => On(m.Dy, target.Dy) && On(m.Dx, target.Dx)).MinBy(m => Steps(target, (m.Dy, m.Dx)));
            int dy = target.Dy - fy, dx = target.Dx - fx;
            while (Math.Max(Math.Abs(dy), Math.Abs(dx)) > 1)
            {
                int sy = Math.Sign(dy), sx = Math.Sign(dx);
                var step = ctx.NewTensor($"{stack.Name}[{s}].step", K210ElementType.UInt8, K210MemoryKind.Kpu, source.Channels, h, w);
                step.QuantFrom = input;
                ctx.Add(new KpuConvLayer(conv.Name, source, step, ShiftWeights(source.Channels, source.Channels, sy, sx), KpuActivationFunction.Linear, KpuPoolType.Bypass));
                (source, dy, dx) = (step, dy - sy, dx - sx);
                made.Add((target.Dy - dy, target.Dx - dx, step));
            }

            ctx.Add(new KpuConvLayer(conv.Name, source, slot, ShiftWeights(source.Channels, slotChannels, dy, dx), KpuActivationFunction.Linear, KpuPoolType.Bypass));
            made.Add((target.Dy, target.Dx, slot));
        }

        return stack;
    }

    /// <summary>KPU layers to move a copy from shift <paramref name="from"/> to <paramref name="to"/> (at least one).</summary>
    private static int Steps((int Dy, int Dx) to, (int Dy, int Dx) from) =>
        Math.Max(1, Math.Max(Math.Abs(to.Dy - from.Dy), Math.Abs(to.Dx - from.Dx)));

    /// <summary>A partial move <paramref name="part"/> lies on the way to <paramref name="whole"/> (same direction, not past it).</summary>
    private static bool On(int part, int whole) => part == 0 || (Math.Sign(part) == Math.Sign(whole) && Math.Abs(part) <= Math.Abs(whole));

    /// <summary>A 3×3 conv whose output channel c (&lt; in) is input channel c moved by (dy, dx); extra outputs are zero.</summary>
    private static KpuConvWeights ShiftWeights(int inChannels, int outChannels, int dy, int dx)
    {
        int tap = ((dy + 1) * 3) + dx + 1;
        if (inChannels == outChannels)
        {
            var dw = new float[outChannels * 9];
            for (int o = 0; o < outChannels; o++)
            {
                dw[(o * 9) + tap] = 1;
            }

            return new KpuConvWeights(inChannels, outChannels, 3, true, dw, new float[outChannels]);
        }

        var w = new float[outChannels * inChannels * 9];
        for (int o = 0; o < Math.Min(inChannels, outChannels); o++)
        {
            w[(((o * inChannels) + o) * 9) + tap] = 1;
        }

        return new KpuConvWeights(inChannels, outChannels, 3, false, w, new float[outChannels]);
    }
}
