using Emc.Compiler.K210.Graph;
using Emc.Compiler.Passes;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A selection whose output is several runs of source elements — a channel shuffle (Transpose (0,2,1,3,4) of
/// [1,g,C/g,H,W]), channels picked out of order by a Gather, a strided Slice — is one (QUANTIZED_)CONCAT whose inputs
/// are views of the source at each run's offset: an exact byte copy (uint8 data keeps the source's quantization).
/// </summary>
internal sealed class GatherRunsByConcat : IPass
{
    public static readonly GatherRunsByConcat Instance = new();

    /// <summary>Most runs one concat copies (its body holds 8 bytes per run: 32 KiB at most).</summary>
    public const int MaxRuns = 4096;

    public string Name => "gather-runs-by-concat";

    public string Summary => "Slice/Gather/Transpose copying several runs of elements (channel shuffle) → one (QUANTIZED_)CONCAT of views";

    /// <summary>
    /// Copies the runs, in order, into a new tensor of <paramref name="dims"/>. More than <see cref="MaxRuns"/> runs
    /// (a depth-to-space row gather) take several concats, each writing its consecutive part of the output.
    /// </summary>
    public K210Tensor Apply(LoweringContext ctx, string layerName, K210Tensor source, IReadOnlyList<ElementRun> runs, string name, (int C, int H, int W) dims)
    {
        ctx.Passes.Record(this);
        bool u8 = source.Type == K210ElementType.UInt8;
        var pieces = runs.Count <= MaxRuns ? Pieces(ctx, source, runs, name) : null;
        var output = ctx.NewTensor(name, source.Type, K210MemoryKind.Main, dims.C, dims.H, dims.W);
        output.QuantFrom = u8 ? source : null;
        if (pieces is not null)
        {
            ctx.Add(new ConcatLayer(layerName, pieces, output));
            return output;
        }

        long offset = 0;
        for (int first = 0; first < runs.Count; first += MaxRuns)
        {
            var chunk = runs.Skip(first).Take(MaxRuns).ToList();
            long length = chunk.Sum(r => r.Length);
            var part = ctx.NewTensor(name + ".part", source.Type, K210MemoryKind.Main, (int)length, 1, 1);
            part.AliasOf = output;
            part.AliasOffset = offset * source.ElementSize;
            part.QuantFrom = u8 ? output : null;
            ctx.Add(new ConcatLayer(layerName, Pieces(ctx, source, chunk, name), part));
            offset += length;
        }

        return output;
    }

    private static List<K210Tensor> Pieces(LoweringContext ctx, K210Tensor source, IReadOnlyList<ElementRun> runs, string name)
    {
        bool u8 = source.Type == K210ElementType.UInt8;
        var pieces = new List<K210Tensor>(runs.Count);
        foreach (var run in runs)
        {
            var piece = ctx.NewTensor(name + ".run", source.Type, K210MemoryKind.Main, (int)run.Length, 1, 1);
            piece.AliasOf = source;
            piece.AliasOffset = run.Start * source.ElementSize;
            piece.QuantFrom = u8 ? source : null;
            pieces.Add(piece);
        }

        return pieces;
    }
}
