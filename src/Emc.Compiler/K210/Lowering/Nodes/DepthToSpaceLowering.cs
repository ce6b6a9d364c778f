using Emc.Compiler.Compilation;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.Ops;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Nodes;

/// <summary>
/// DepthToSpace (a transposed conv's phases, PixelShuffle), exactly, with stock-SDK layers: kmodel v3 has no
/// interleave, but out[c, h·s + a, w·s + b] = phase(c, a, b)[h, w] is a row gather and a column interleave. One
/// (QUANTIZED_)CONCAT of row views puts the rows in [b][c][h][a][w] order (s²·C·H runs; several concats above
/// 4096), then TENSORFLOW_FLATTEN with C = s, H = 1, W = C·H·s·W (CHW → HWC) moves phase column b of every row to
/// position w·s + b. The flatten is float32 (QUANTIZED_TENSORFLOW_FLATTEN runs only on a patched SDK): uint8 data is
/// dequantized and quantized again with the same scale and bias, which gives back the same bytes. Large maps go in
/// chunks of whole output rows (gather, dequantize, flatten, quantize into the result's part) so the float buffers
/// stay at 256 KiB: a DBNet head's 24×112×160 map needs 1.7 MB twice in one piece.
/// </summary>
internal sealed class DepthToSpaceLowering : INodeLowering
{
    public static readonly DepthToSpaceLowering Instance = new();

    public string Name => "lower-depth-to-space";

    public string Summary => "DepthToSpace (transposed-conv phases) → CONCAT of row views + TENSORFLOW_FLATTEN with C = block size (float; uint8 data dequantized and requantized with the same scale: exact)";

    public IReadOnlyList<string> OpTypes { get; } = ["DepthToSpace"];

    public IReadOnlyList<IPass> Rewrites { get; } = [GatherRunsByConcat.Instance];

    public void Lower(LoweringContext ctx, Node node)
    {
        var p = (DepthToSpaceParameters)node.Parameters!;
        var input = node.Inputs[0]!;
        var output = node.Outputs[0];
        var shape = input.Shape!;
        if (shape[0] != 1)
        {
            ctx.Error(CompilerDiagnostics.UnsupportedPattern, node, $"input {shape} has batch {shape[0]}; the device runs batch 1");
            ctx.Slot(output).Failed = true;
            return;
        }

        var source = ctx.Slot(input).Float ?? ctx.GetMainU8(input, node);
        if (source is null)
        {
            ctx.Slot(output).Failed = true;
            return;
        }

        int s = p.BlockSize, channels = shape[1] / (s * s), h = shape[2], w = shape[3];
        bool u8 = source.Type == K210ElementType.UInt8;
        bool floatOnly = !u8 || TransposeAsTensorflowFlatten.ReadAsFloat(ctx, output);
        var result = ctx.NewTensor(output.Name, floatOnly ? K210ElementType.Float32 : K210ElementType.UInt8, K210MemoryKind.Main, channels, h * s, w * s);
        result.QuantFrom = floatOnly ? null : source;

        // Output rows r = (c, i) hold s·W·s elements each; a chunk of whole rows is gathered, interleaved and written to
        // its consecutive part of the result, so the float buffers stay small whatever the map's size.
        int rowsPerChunk = Math.Max(1, MaxChunkElements / (s * s * w));
        for (int r0 = 0; r0 < channels * h; r0 += rowsPerChunk)
        {
            int count = Math.Min(rowsPerChunk, (channels * h) - r0);
            var rows = new List<long>(s * s * count);
            for (int b = 0; b < s; b++)
            {
                for (int r = r0; r < r0 + count; r++)
                {
                    for (int a = 0; a < s; a++)
                    {
                        rows.Add(((long)(p.InputChannel(r / h, a, b, channels) * h) + (r % h)) * w);
                    }
                }
            }

            var gathered = GatherRunsByConcat.Instance.Apply(ctx, node.Name, source, Merge(rows, w), output.Name + ".rows", (s, count * s, w));
            var floats = gathered;
            if (u8)
            {
                floats = ctx.NewTensor(output.Name + ".rows.f32", K210ElementType.Float32, K210MemoryKind.Main, s, count * s, w);
                ctx.Add(new DequantizeLayer(node.Name, gathered, floats));
            }

            var part = Part(ctx, result, r0 * s * w * s, count * s * w * s, floatOnly ? K210ElementType.Float32 : K210ElementType.UInt8);
            var interleaved = floatOnly ? part : ctx.NewTensor(output.Name + ".f32", K210ElementType.Float32, K210MemoryKind.Main, 1, count * s, w * s);
            ctx.Add(new TensorflowFlattenLayer(node.Name, floats, interleaved, s, 1, count * s * w));
            if (!floatOnly)
            {
                ctx.Add(new QuantizeLayer(node.Name, interleaved, part));
            }
        }

        if (floatOnly)
        {
            ctx.Slot(output).Float = result;
        }
        else
        {
            ctx.Slot(output).MainU8 = result;
        }
    }

    /// <summary>Elements of one float chunk (256 KiB): small next to the uint8 maps around it.</summary>
    private const int MaxChunkElements = 65536;

    /// <summary>The consecutive elements [offset, offset + length) of the result, as a tensor a layer writes.</summary>
    private static K210Tensor Part(LoweringContext ctx, K210Tensor result, long offset, int length, K210ElementType type)
    {
        if (offset == 0 && length == result.ElementCount)
        {
            return result;
        }

        var part = ctx.NewTensor(result.Name + ".part", type, K210MemoryKind.Main, 1, 1, length);
        part.AliasOf = result;
        part.AliasOffset = offset * part.ElementSize;
        part.QuantFrom = type == K210ElementType.UInt8 ? result : null;
        return part;
    }

    /// <summary>Rows of <paramref name="width"/> elements starting at <paramref name="starts"/>, consecutive ones merged.</summary>
    private static List<ElementRun> Merge(List<long> starts, int width)
    {
        var runs = new List<ElementRun>();
        foreach (long start in starts)
        {
            if (runs.Count > 0 && runs[^1].Start + runs[^1].Length == start)
            {
                runs[^1] = runs[^1] with { Length = runs[^1].Length + width };
            }
            else
            {
                runs.Add(new ElementRun(start, width));
            }
        }

        return runs;
    }
}
