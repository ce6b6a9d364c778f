using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.K210.Lowering;

/// <summary>The source element of every output element of a selection node (per output), or null when the node's
/// selection is not constant.</summary>
internal static class SelectionMaps
{
    public static long[]? Of(Node node, int output)
    {
        var input = node.Inputs[0]!.Shape!;
        var outDims = node.Outputs[output].Shape!.ToArray();
        long[] strides = input.Strides();
        switch (node.Parameters)
        {
            case SliceParameters p:
                {
                    long origin = 0;
                    var steps = new long[input.Rank];
                    for (int a = 0; a < input.Rank; a++)
                    {
                        origin += p.Starts[a] * strides[a];
                        steps[a] = p.Steps[a] * strides[a];
                    }

                    return ElementRuns.Strided(outDims, origin, steps);
                }

            case SplitParameters p:
                {
                    long start = p.Lengths.Take(output).Sum(l => (long)l);
                    return ElementRuns.Strided(outDims, start * strides[p.Axis], strides);
                }

            case TransposeParameters p:
                return ElementRuns.Strided(outDims, 0, p.InputSteps);

            case GatherParameters p when node.Inputs[1]?.Constant is { } constant:
                {
                    var indices = constant.ToInt64Array();
                    int n = input[p.Axis];
                    long outer = input.Dims[..p.Axis].ToArray().Aggregate(1L, (q, d) => q * d);
                    long inner = strides[p.Axis];
                    var map = new long[outer * indices.Length * inner];
                    long k = 0;
                    for (long o = 0; o < outer; o++)
                    {
                        foreach (long index in indices)
                        {
                            long i = index < 0 ? index + n : index;
                            long from = (o * n * inner) + (i * inner);
                            for (long e = 0; e < inner; e++)
                            {
                                map[k++] = from + e;
                            }
                        }
                    }

                    return map;
                }

            default:
                return null;
        }
    }
}
