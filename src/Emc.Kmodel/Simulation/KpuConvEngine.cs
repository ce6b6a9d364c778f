using System.Numerics;
using System.Runtime.CompilerServices;

namespace Emc.Kmodel.Simulation;

/// <summary>
/// Executes one K210_CONV (spec §6): gathers the input from KPU RAM, computes
/// <c>ACC = P + ((arg_x·SX) &gt;&gt; shr_x) + ((arg_w·SW) &gt;&gt; shr_w) + arg_add·G</c> per output pixel (3×3 taps
/// outside the image read <c>pad_value</c>), batch-norm, activation, pooling, then writes KPU RAM (and main memory).
/// Regular 8-bit convs use an int16-pair GEMM over im2col panels; depthwise convs use shifted multiply-accumulate
/// rows; 16-bit regular convs use the scalar int64 reference. Pick pools (0, 5, 6, 7) compute only picked pixels.
/// </summary>
internal sealed class KpuConvEngine
{
    private const int PanelBudget = 1 << 18;   // int16 values per im2col tile
    private const int ResultBudget = 1 << 20;  // int32 results per tile

    private readonly KpuConvParameters _l;
    private readonly int[] _weightPairs = [];
    private readonly long[] _swTerm;
    private readonly int _k2;
    private readonly int _outputsPadded;

    public KpuConvEngine(KpuConvParameters layer, bool forceReference = false)
    {
        _l = layer;
        int oc = layer.OutChannels;
        int per = layer.WeightsPerOutput;
        _swTerm = new long[oc];
        for (int o = 0; o < oc; o++)
        {
            long sw = 0;
            foreach (int w in layer.Weights.AsSpan(o * per, per))
            {
                sw += w;
            }

            _swTerm[o] = ((layer.ArgW * sw) >> layer.ShrW) + (layer.ArgAdd * layer.ChannelsPerOutput);
        }

        UsesGemm = !layer.Depthwise && layer.EightBitWeights && !forceReference;
        UsesReference = forceReference || (!layer.Depthwise && !layer.EightBitWeights);
        if (UsesGemm)
        {
            _k2 = (per + 1) / 2;
            _outputsPadded = (oc + Int16PairGemm.OutputBlock - 1) / Int16PairGemm.OutputBlock * Int16PairGemm.OutputBlock;
            _weightPairs = new int[_outputsPadded * _k2];
            for (int o = 0; o < oc; o++)
            {
                ReadOnlySpan<int> row = layer.Weights.AsSpan(o * per, per);
                for (int k = 0; k < per; k++)
                {
                    int shift = (k & 1) * 16;
                    _weightPairs[(o * _k2) + (k >> 1)] |= (row[k] & 0xFFFF) << shift;
                }
            }
        }
    }

    public bool UsesGemm { get; }

    public bool UsesReference { get; }

    public KpuConvParameters Layer => _l;

    /// <summary>Runs the layer; <paramref name="planarOutput"/> receives the OC×OH×OW result (also what goes to main memory).</summary>
    public void Run(ScratchBuffers s, Span<byte> kpuRam, Span<byte> mainMemory, Span<byte> planarOutput)
    {
        KpuMapAddressing inL = _l.Input;
        Span<byte> input = s.Input(inL.Channels * inL.Height * inL.Width);
        inL.Gather(kpuRam, input);

        (int y0, int x0, int step, int gh, int gw) = Grid();
        bool reduce = KpuPooling.PickOrigin(_l.PoolType) is null;
        int gridSize = gh * gw;
        Span<byte> plane = reduce ? s.Plane(_l.OutChannels * gridSize) : planarOutput;

        if (UsesReference)
        {
            Reference(input, y0, x0, step, gh, gw, plane);
        }
        else if (UsesGemm)
        {
            Regular(s, input, y0, x0, step, gh, gw, plane);
        }
        else
        {
            DepthwiseConv(s, input, y0, x0, step, gh, gw, plane);
        }

        KpuMapAddressing outL = _l.Output;
        int outPlane = outL.Height * outL.Width;
        if (reduce)
        {
            for (int o = 0; o < _l.OutChannels; o++)
            {
                KpuPooling.Reduce(_l.PoolType, plane.Slice(o * gridSize, gridSize), gh, gw, planarOutput.Slice(o * outPlane, outPlane), outL.Height, outL.Width);
            }
        }

        outL.Scatter(planarOutput, kpuRam);
        if (_l.MainMemOut >= 0)
        {
            planarOutput.CopyTo(mainMemory.Slice((int)_l.MainMemOut, planarOutput.Length));
        }
    }

    /// <summary>The pixels the conv must compute: every pixel, or only those a pick pool keeps.</summary>
    private (int Y0, int X0, int Step, int Height, int Width) Grid()
    {
        if (KpuPooling.PickOrigin(_l.PoolType) is { } pick)
        {
            return (pick.Y, pick.X, KpuPooling.Stride(_l.PoolType), _l.Output.Height, _l.Output.Width);
        }

        return (0, 0, 1, _l.Input.Height, _l.Input.Width);
    }

    private void Regular(ScratchBuffers s, ReadOnlySpan<byte> input, int y0, int x0, int step, int gh, int gw, Span<byte> plane)
    {
        int n = gh * gw;
        int k = _l.KernelSize;
        int taps = k * k;
        int pad = k / 2;
        int ih = _l.Input.Height, iw = _l.Input.Width;
        int ic = _l.InChannels;
        int per = _l.WeightsPerOutput;
        const int W = Int16PairGemm.PanelWidth;

        int tile = Math.Min(PanelBudget / (_k2 * 2), ResultBudget / _outputsPadded) / W * W;
        tile = Math.Clamp(tile, W, (n + W - 1) / W * W);
        Span<short> panels = s.Panels(tile * _k2 * 2);
        Span<int> p = s.P(_outputsPadded * tile);
        Span<int> sx = s.Sx(tile);
        Span<long> sxTerm = s.SxTerm(tile);
        // 3×3 taps outside the image read pad_value: give the input a border of it once per run.
        int ph = ih + (2 * pad), pw = iw + (2 * pad);
        ReadOnlySpan<byte> padded = input;
        if (pad > 0)
        {
            Span<byte> bordered = s.PaddedInput(ic * ph * pw);
            Im2ColPacker.PadInput(input, ic, ih, iw, pad, _l.PadValue, bordered);
            padded = bordered;
        }

        int colStride = tile;
        Span<byte> cols = s.Columns(per * colStride);

        for (int n0 = 0; n0 < n; n0 += tile)
        {
            int count = Math.Min(tile, n - n0);
            int panelCount = (count + W - 1) / W;
            Im2ColPacker.Gather(padded, ph, pw, k, taps, per, y0, x0, step, gw, n0, count, cols, colStride);
            Im2ColPacker.Pack(cols, colStride, per, _k2, panelCount, panels, sx);

            for (int j = 0; j < count; j++)
            {
                sxTerm[j] = (_l.ArgX * sx[j]) >> _l.ShrX;
            }

            Int16PairGemm.Multiply(_weightPairs, _k2, _outputsPadded, panels, panelCount, p, tile);

            KpuOutputStage stage = _l.OutputStage;
            for (int o = 0; o < _l.OutChannels; o++)
            {
                stage.FinishRow(o, p.Slice(o * tile, count), sxTerm, _swTerm[o], plane.Slice((o * n) + n0, count));
            }
        }
    }

    private void DepthwiseConv(ScratchBuffers s, ReadOnlySpan<byte> input, int y0, int x0, int step, int gh, int gw, Span<byte> plane)
    {
        int k = _l.KernelSize, pad = k / 2, taps = k * k;
        int ih = _l.Input.Height, iw = _l.Input.Width;
        int pw = iw + (2 * pad), ph = ih + (2 * pad);
        int n = gh * gw;
        Span<int> padded = s.Padded(pw * ph);
        Span<int> accRow = s.RowAcc(gw);
        Span<int> sxRow = s.RowSx(gw);
        Span<long> sxTerm = s.SxTerm(gw);
        int channels = Math.Min(_l.InChannels, _l.OutChannels);

        for (int c = 0; c < _l.OutChannels; c++)
        {
            Span<byte> dst = plane.Slice(c * n, n);
            if (c >= channels)
            {
                // More output than input channels in a depthwise layer: the tap set reads no channel.
                for (int j = 0; j < n; j++)
                {
                    dst[j] = _l.Finish(c, _swTerm[c]);
                }

                continue;
            }

            padded.Fill(_l.PadValue);
            ReadOnlySpan<byte> src = input.Slice(c * ih * iw, ih * iw);
            for (int y = 0; y < ih; y++)
            {
                Span<int> row = padded.Slice(((y + pad) * pw) + pad, iw);
                ReadOnlySpan<byte> from = src.Slice(y * iw, iw);
                for (int x = 0; x < iw; x++)
                {
                    row[x] = from[x];
                }
            }

            ReadOnlySpan<int> w = _l.Weights.AsSpan(c * taps, taps);
            long sw = _swTerm[c];
            for (int gy = 0; gy < gh; gy++)
            {
                int y = y0 + (gy * step);
                if (step == 1)
                {
                    DepthwiseRow(padded, (y * pw) + x0, pw, k, w, accRow, sxRow);
                }
                else
                {
                    accRow.Clear();
                    sxRow.Clear();
                    for (int t = 0; t < taps; t++)
                    {
                        int baseOffset = ((y + (t / k)) * pw) + x0 + (t % k);
                        for (int gx = 0; gx < gw; gx++)
                        {
                            int v = padded[baseOffset + (gx * step)];
                            accRow[gx] += v * w[t];
                            sxRow[gx] += v;
                        }
                    }
                }

                for (int gx = 0; gx < gw; gx++)
                {
                    sxTerm[gx] = (_l.ArgX * sxRow[gx]) >> _l.ShrX;
                }

                _l.OutputStage.FinishRow(c, accRow, sxTerm, sw, dst.Slice(gy * gw, gw));
            }
        }
    }

    /// <summary>
    /// One output row of a stride-1 depthwise conv: for each pixel x, P = Σ w[t]·src[rowBase + ky·pw + kx + x] and SX the
    /// sum of the same taps, a vector of pixels at a time with both sums kept in registers across the taps.
    /// Bound: 9 taps of 255·255 stay far below 2^31.
    /// </summary>
    private static void DepthwiseRow(ReadOnlySpan<int> padded, int rowBase, int pw, int k, ReadOnlySpan<int> w, Span<int> acc, Span<int> sx)
    {
        int n = acc.Length, x = 0;
        int last = rowBase + ((k - 1) * pw) + (k - 1) + n; // one past the farthest tap read
        if (last > padded.Length)
        {
            throw new ArgumentException("depthwise row reads past the padded plane");
        }

        if (Vector.IsHardwareAccelerated)
        {
            ref int p0 = ref Unsafe.AsRef(in padded[0]);
            ref int a0 = ref acc[0];
            ref int s0 = ref sx[0];
            for (; x + Vector<int>.Count <= n; x += Vector<int>.Count)
            {
                Vector<int> a = Vector<int>.Zero, sum = Vector<int>.Zero;
                for (int ky = 0; ky < k; ky++)
                {
                    for (int kx = 0; kx < k; kx++)
                    {
                        var v = Vector.LoadUnsafe(ref p0, (nuint)(rowBase + (ky * pw) + kx + x));
                        a += v * new Vector<int>(w[(ky * k) + kx]);
                        sum += v;
                    }
                }

                a.StoreUnsafe(ref a0, (nuint)x);
                sum.StoreUnsafe(ref s0, (nuint)x);
            }
        }

        for (; x < n; x++)
        {
            int a = 0, sum = 0;
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    int v = padded[rowBase + (ky * pw) + kx + x];
                    a += v * w[(ky * k) + kx];
                    sum += v;
                }
            }

            acc[x] = a;
            sx[x] = sum;
        }
    }

    /// <summary>The formulas of §6.1 taken literally, all in int64 (16-bit weights, and the oracle for tests).</summary>
    private void Reference(ReadOnlySpan<byte> input, int y0, int x0, int step, int gh, int gw, Span<byte> plane)
    {
        int k = _l.KernelSize, pad = k / 2, taps = k * k;
        int ih = _l.Input.Height, iw = _l.Input.Width;
        int per = _l.WeightsPerOutput;
        int n = gh * gw;
        for (int o = 0; o < _l.OutChannels; o++)
        {
            ReadOnlySpan<int> w = _l.Weights.AsSpan(o * per, per);
            for (int gy = 0; gy < gh; gy++)
            {
                for (int gx = 0; gx < gw; gx++)
                {
                    int y = y0 + (gy * step), x = x0 + (gx * step);
                    long p = 0, sx = 0;
                    int firstChannel = _l.Depthwise ? o : 0;
                    int channelCount = _l.Depthwise ? (o < _l.InChannels ? 1 : 0) : _l.InChannels;
                    for (int ci = 0; ci < channelCount; ci++)
                    {
                        int c = firstChannel + ci;
                        for (int t = 0; t < taps; t++)
                        {
                            int yy = y + (t / k) - pad, xx = x + (t % k) - pad;
                            long v = (uint)yy < (uint)ih && (uint)xx < (uint)iw ? input[(((c * ih) + yy) * iw) + xx] : _l.PadValue;
                            p += w[(ci * taps) + t] * v;
                            sx += v;
                        }
                    }

                    long acc = p + ((_l.ArgX * sx) >> _l.ShrX) + _swTerm[o];
                    plane[(o * n) + (gy * gw) + gx] = _l.Finish(o, acc);
                }
            }
        }
    }
}
