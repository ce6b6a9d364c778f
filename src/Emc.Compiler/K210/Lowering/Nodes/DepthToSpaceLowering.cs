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
/// dequantized and quantized again with the same scale and bias, which gives back the same bytes.
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
        var rows = new List<long>(s * s * channels * h);
        for (int b = 0; b < s; b++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int i = 0; i < h; i++)
                {
                    for (int a = 0; a < s; a++)
                    {
                        rows.Add(((long)(p.InputChannel(c, a, b, channels) * h) + i) * w);
                    }
                }
            }
        }

        var runs = Merge(rows, w);
        var gathered = GatherRunsByConcat.Instance.Apply(ctx, node.Name, source, runs, output.Name + ".rows", (s, channels * h * s, w));
        var floats = gathered;
        if (source.Type == K210ElementType.UInt8)
        {
            floats = ctx.NewTensor(output.Name + ".rows.f32", K210ElementType.Float32, K210MemoryKind.Main, s, channels * h * s, w);
            ctx.Add(new DequantizeLayer(node.Name, gathered, floats));
        }

        var interleaved = ctx.NewTensor(output.Name, K210ElementType.Float32, K210MemoryKind.Main, channels, h * s, w * s);
        ctx.Add(new TensorflowFlattenLayer(node.Name, floats, interleaved, s, 1, channels * h * s * w));
        ctx.Slot(output).Float = interleaved;
        if (source.Type == K210ElementType.UInt8 && !TransposeAsTensorflowFlatten.ReadAsFloat(ctx, output))
        {
            var bytes = ctx.NewTensor(output.Name + ".u8", K210ElementType.UInt8, K210MemoryKind.Main, channels, h * s, w * s);
            bytes.QuantFrom = gathered;
            ctx.Add(new QuantizeLayer(node.Name, interleaved, bytes));
            ctx.Slot(output).MainU8 = bytes;
        }
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
