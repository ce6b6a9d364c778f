namespace Emc.Compiler.K210.Lowering;

/// <summary>
/// What a transpose does to row-major data once size-1 axes are dropped and axes that stay neighbours are merged:
/// nothing (<see cref="KeepsOrder"/>: the bytes are already in the output order), a swap of two blocks
/// (<see cref="IsBlockSwap"/>: a <see cref="Leading"/>×<see cref="Trailing"/> matrix transpose, what TENSORFLOW_FLATTEN
/// does with C = leading and H·W = trailing), or a reorder of three or more blocks (no kmodel v3 layer).
/// </summary>
internal sealed record TransposeMovement(int BlockCount, long Leading, long Trailing, int TrailingHeight, int TrailingWidth)
{
    public bool KeepsOrder => BlockCount <= 1;

    public bool IsBlockSwap => BlockCount == 2;

    /// <summary>Analyses output axis i ← input axis <paramref name="perm"/>[i] over input dimensions <paramref name="dims"/>.</summary>
    public static TransposeMovement Of(IReadOnlyList<int> dims, IReadOnlyList<int> perm)
    {
        // Input axes that carry data, in output order.
        var moved = perm.Where(a => dims[a] != 1).ToList();
        var kept = Enumerable.Range(0, dims.Count).Where(a => dims[a] != 1).ToList();

        // Blocks: runs of output axes that read consecutive carrying input axes.
        var blocks = new List<List<int>>();
        foreach (int axis in moved)
        {
            if (blocks.Count > 0 && kept.IndexOf(blocks[^1][^1]) + 1 == kept.IndexOf(axis))
            {
                blocks[^1].Add(axis);
            }
            else
            {
                blocks.Add([axis]);
            }
        }

        if (blocks.Count != 2 || blocks[0][0] < blocks[1][0])
        {
            // One block keeps the order; two blocks in input order would have merged.
            return new TransposeMovement(blocks.Count, 0, 0, 0, 0);
        }

        // Output = [second input block, first input block]: the first input block is the leading (row) dimension.
        var leadingAxes = blocks[1];
        var trailingAxes = blocks[0];
        long leading = leadingAxes.Aggregate(1L, (p, a) => p * dims[a]);
        long trailing = trailingAxes.Aggregate(1L, (p, a) => p * dims[a]);
        (int h, int w) = trailingAxes.Count == 2 ? (dims[trailingAxes[0]], dims[trailingAxes[1]]) : (1, (int)trailing);
        return new TransposeMovement(2, leading, trailing, h, w);
    }
}
