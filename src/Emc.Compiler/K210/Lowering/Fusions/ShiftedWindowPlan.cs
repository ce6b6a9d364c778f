namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>A 3-tap KPU window over the input shifted by <see cref="Shift"/>, taking kernel offsets From..To.</summary>
internal readonly record struct ShiftWindow(int Shift, int From, int To);

/// <summary>
/// How one axis of a conv kernel maps onto 3-tap KPU windows. The KPU computes a stride-1 "same" map G; the ONNX
/// output index i is G at <see cref="Offset"/> + stride·i, and kernel tap j then reads input offset
/// <c>j − Offset − pad</c> from that position. A window at shift σ reads a copy of the input moved by σ, which has
/// the input's size: the rows moved out of it are gone and the KPU reads pad_value (real zero) there instead. So a
/// window with σ &lt; 0 may use its tap +1 only when no output sits on the last row, and σ &gt; 0 its tap −1 only
/// when none sits on the first; otherwise it would read zero where the input has data.
/// <see cref="Single"/>: one tap at offset 0 (a 1-wide axis, 1×1-able).
/// </summary>
internal sealed record AxisWindows(int Offset, ShiftWindow[] Windows, int Lowest, bool Single)
{
    public int[] Shifts => [.. Windows.Select(w => w.Shift)];

    /// <summary>Every window takes only its centre tap: the conv over the stack needs 1 tap on this axis.</summary>
    public bool Centred => Windows.All(w => w.From == w.Shift && w.To == w.Shift);

    /// <summary>
    /// For kernels whose used taps are at least two apart (dilated ones): one window centred on each used tap, at the
    /// output offset with the smallest Σ|shift|; null when two used taps are neighbours. A centred window reads no
    /// neighbour, so the edge rule of <see cref="Choose"/> does not apply; the conv over the stack is then 1×1 on this
    /// axis — 3× fewer weights than a 3-tap window for one more shift step on each off-centre window.
    /// </summary>
    public static AxisWindows? ChooseCentred(bool[] used, int padBefore, int stride, int inSize, int outSize)
    {
        int[] taps = [.. Enumerable.Range(0, used.Length).Where(j => used[j])];
        if (taps.Length < 2 || taps.Zip(taps.Skip(1)).Any(p => p.Second - p.First < 2))
        {
            return null;
        }

        AxisWindows? best = null;
        int bestCost = int.MaxValue;
        for (int r0 = 0; r0 + (stride * (outSize - 1)) <= inSize - 1; r0++)
        {
            int lo = -r0 - padBefore;
            ShiftWindow[] windows = [.. taps.Select(j => new ShiftWindow(lo + j, lo + j, lo + j))];
            int cost = windows.Sum(w => Math.Abs(w.Shift));
            if (cost < bestCost)
            {
                (best, bestCost) = (new AxisWindows(r0, windows, lo, false), cost);
            }
        }

        return best;
    }

    /// <summary>The window taking kernel tap j and the tap's index (0..2) inside its 3-tap window.</summary>
    public (int Window, int Tap) Place(int j)
    {
        int offset = Lowest + j;
        for (int w = 0; w < Windows.Length; w++)
        {
            if (offset >= Windows[w].From && offset <= Windows[w].To)
            {
                return (w, offset - Windows[w].Shift + 1);
            }
        }

        return (-1, -1); // a tap with zero weight that no window needs
    }

    /// <summary>
    /// The cheapest placement for a kernel of extent k (<paramref name="used"/>[j]: tap j has a non-zero weight) with
    /// leading pad, or null when no stride-1 position can produce every output (the output reaches beyond the input,
    /// e.g. a 1×1 conv with padding). Fewest windows, then the smallest shifts (each shift step is one KPU layer),
    /// then the smallest offset.
    /// </summary>
    public static AxisWindows? Choose(bool[] used, int padBefore, int stride, int inSize, int outSize)
    {
        int k = used.Length;
        AxisWindows? best = null;
        (int, int) bestCost = (int.MaxValue, int.MaxValue);
        for (int r0 = 0; r0 + (stride * (outSize - 1)) <= inSize - 1; r0++)
        {
            if (r0 > k + padBefore + 1)
            {
                break; // every offset ≤ −2 from here on: the shifts only grow
            }

            int lo = -r0 - padBefore;
            bool firstSafe = r0 >= 1, lastSafe = r0 + (stride * (outSize - 1)) + 1 <= inSize - 1;
            var candidate = k == 1 && lo == 0
                ? new AxisWindows(r0, [new ShiftWindow(0, 0, 0)], lo, true)
                : new AxisWindows(r0, Cover(used, lo, firstSafe, lastSafe), lo, false);
            var cost = (candidate.Windows.Length, candidate.Windows.Sum(w => Math.Abs(w.Shift)));
            if (cost.CompareTo(bestCost) < 0)
            {
                best = candidate;
                bestCost = cost;
            }
        }

        return best;
    }

    /// <summary>Fewest windows covering every used offset, then the smallest Σ|shift| (exhaustive: kernels are small).</summary>
    private static ShiftWindow[] Cover(bool[] used, int lo, bool firstSafe, bool lastSafe)
    {
        ShiftWindow Range(int shift) => new(shift,
            shift > 0 && !firstSafe ? shift : shift - 1,
            shift < 0 && !lastSafe ? shift : shift + 1);

        var offsets = Enumerable.Range(0, used.Length).Where(j => used[j]).Select(j => lo + j).ToArray();
        if (offsets.Length == 0)
        {
            return [new ShiftWindow(0, -1, 1)]; // an all-zero kernel
        }

        int first = offsets[0] - 1, last = offsets[^1] + 1;
        for (int n = 1; ; n++)
        {
            ShiftWindow[]? best = null;
            int bestCost = int.MaxValue;
            var chosen = new ShiftWindow[n];

            void Search(int index, int from, int nextOffset, int cost)
            {
                if (cost >= bestCost)
                {
                    return;
                }

                if (nextOffset == offsets.Length)
                {
                    best = chosen[..index];
                    bestCost = cost;
                    return;
                }

                if (index == n)
                {
                    return;
                }

                for (int shift = from; shift <= last; shift++)
                {
                    var w = Range(shift);
                    if (w.From > offsets[nextOffset])
                    {
                        break;
                    }

                    if (w.To < offsets[nextOffset])
                    {
                        continue;
                    }

                    int next = nextOffset;
                    while (next < offsets.Length && offsets[next] <= w.To)
                    {
                        next++;
                    }

                    chosen[index] = w;
                    Search(index + 1, shift + 1, next, cost + Math.Abs(shift));
                }
            }

            Search(0, first, 0, 0);
            if (best is not null)
            {
                return best;
            }
        }
    }
}
