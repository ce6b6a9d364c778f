using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail;

/// <summary>
/// Where each tensor of a tail lives: inputs at their offset in the device outputs (every kmodel output, dequantized,
/// concatenated in output order — what the header's <c>&lt;id&gt;_run</c> writes), graph outputs in the caller's buffers,
/// and the rest in one scratch block, first-fit by lifetime (a tensor's bytes are reused once its last reader ran),
/// 8-byte aligned. Sizes are compile-time constants.
/// </summary>
internal sealed class TailBufferPlan
{
    private const int Alignment = 8;

    private TailBufferPlan(Dictionary<Value, long> inputOffsets, Dictionary<Value, long> scratchOffsets, long scratchBytes, long deviceFloats)
    {
        InputOffsets = inputOffsets;
        ScratchOffsets = scratchOffsets;
        ScratchBytes = scratchBytes;
        DeviceFloats = deviceFloats;
    }

    /// <summary>Offset of each tail input in the device outputs, in floats.</summary>
    public IReadOnlyDictionary<Value, long> InputOffsets { get; }

    /// <summary>Byte offset of each intermediate tensor in scratch, in order of first write.</summary>
    public IReadOnlyDictionary<Value, long> ScratchOffsets { get; }

    public long ScratchBytes { get; }

    /// <summary>Floats of the device outputs the tail reads from.</summary>
    public long DeviceFloats { get; }

    /// <summary>
    /// The generated code's name for every buffer: tail input i is <c>x</c>i, graph output i <paramref name="outputPrefix"/>i
    /// (unless it is also an input), intermediate i <c>t</c>i in scratch order. Returns the output names too, in order.
    /// </summary>
    public (Dictionary<Value, string> Buffers, List<string> OutputNames) Names(HostTail tail, string outputPrefix)
    {
        static string Int(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var buffers = new Dictionary<Value, string>();
        for (int i = 0; i < tail.InputValues.Count; i++)
        {
            buffers[tail.InputValues[i]] = "x" + Int(i);
        }

        var outputNames = tail.OutputValues.Select((_, i) => outputPrefix + Int(i)).ToList();
        for (int i = 0; i < tail.OutputValues.Count; i++)
        {
            buffers.TryAdd(tail.OutputValues[i], outputNames[i]);
        }

        int t = 0;
        foreach (var v in ScratchOffsets.Keys)
        {
            buffers[v] = "t" + Int(t++);
        }

        return (buffers, outputNames);
    }

    /// <summary>The plan, or null when a tail input is not among <paramref name="deviceOutputs"/> with its element count.</summary>
    public static TailBufferPlan? Create(HostTail tail, IReadOnlyList<TensorInterface> deviceOutputs)
    {
        var inputOffsets = new Dictionary<Value, long>();
        long offset = 0;
        foreach (var output in deviceOutputs)
        {
            long count = output.Shape.Aggregate(1L, (product, d) => product * Math.Max(d, 1));
            if (tail.InputValues.FirstOrDefault(v => v.Name == output.Name) is { } input)
            {
                if (input.Shape!.ElementCount != count)
                {
                    return null;
                }

                inputOffsets[input] = offset;
            }

            offset += count;
        }

        if (inputOffsets.Count != tail.InputValues.Count)
        {
            return null;
        }

        var (scratch, bytes) = PlanScratch(tail);
        return new TailBufferPlan(inputOffsets, scratch, bytes, offset);
    }

    private static (Dictionary<Value, long> Offsets, long Bytes) PlanScratch(HostTail tail)
    {
        var lastUse = new Dictionary<Value, int>();
        for (int n = 0; n < tail.Nodes.Count; n++)
        {
            foreach (var input in tail.Nodes[n].Inputs)
            {
                if (input is not null)
                {
                    lastUse[input] = n;
                }
            }
        }

        var offsets = new Dictionary<Value, long>();
        var live = new List<(long Start, long End, Value Value)>();
        long high = 0;
        for (int n = 0; n < tail.Nodes.Count; n++)
        {
            var outputs = tail.Nodes[n].Outputs;
            foreach (var y in outputs.Where(o => !tail.OutputValues.Contains(o)))
            {
                long size = AlignUp(y.Shape!.ElementCount * (y.Type switch { DataType.Int64 => 8, DataType.Bool => 1, _ => 4 }));
                long start = 0;
                foreach (var block in live.OrderBy(b => b.Start))
                {
                    if (start + size <= block.Start)
                    {
                        break;
                    }

                    start = Math.Max(start, block.End);
                }

                offsets[y] = start;
                live.Add((start, start + size, y));
                high = Math.Max(high, start + size);
            }

            live.RemoveAll(b => lastUse.GetValueOrDefault(b.Value, -1) <= n && !outputs.Contains(b.Value));
        }

        return (offsets, high);
    }

    private static long AlignUp(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;
}
