namespace Emc.Compiler.K210.Lowering;

/// <summary>A run of consecutive elements of a row-major tensor: [Start, Start + Length).</summary>
internal readonly record struct ElementRun(long Start, long Length);

/// <summary>
/// Data movement of a selection (Slice, Split, Gather with constant indices, Transpose) as the source element
/// each output element copies, and that map compressed into runs of consecutive source elements.
/// </summary>
internal static class ElementRuns
{
    /// <summary>The map's runs in output order; adjacent output elements reading adjacent source elements share one.</summary>
    public static List<ElementRun> Of(long[] map)
    {
        var runs = new List<ElementRun>();
        long start = -1, length = 0;
        foreach (long source in map)
        {
            if (length > 0 && source == start + length)
            {
                length++;
                continue;
            }

            if (length > 0)
            {
                runs.Add(new ElementRun(start, length));
            }

            (start, length) = (source, 1);
        }

        if (length > 0)
        {
            runs.Add(new ElementRun(start, length));
        }

        return runs;
    }

    /// <summary>Output element k (row-major over <paramref name="outDims"/>) reads source element origin + Σ index_a·steps_a.</summary>
    public static long[] Strided(IReadOnlyList<int> outDims, long origin, IReadOnlyList<long> steps)
    {
        long count = outDims.Aggregate(1L, (p, d) => p * d);
        var map = new long[count];
        int rank = outDims.Count;
        var index = new int[rank];
        long at = origin;
        for (long k = 0; k < count; k++)
        {
            map[k] = at;
            for (int a = rank - 1; a >= 0; a--)
            {
                if (++index[a] < outDims[a])
                {
                    at += steps[a];
                    break;
                }

                at -= steps[a] * (outDims[a] - 1);
                index[a] = 0;
            }
        }

        return map;
    }
}
