using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>MatMul (all opsets), float32, numpy semantics: 1-D operands are promoted and the added dimension removed,
/// batch dimensions broadcast.</summary>
internal sealed class MatMul : Operator
{
    public override string OpType => "MatMul";

    public override void Infer(InferenceContext context)
    {
        var a = OpChecks.FloatInput(context, 0, "A");
        var b = OpChecks.FloatInput(context, 1, "B");
        if (a is null || b is null)
        {
            return;
        }

        if (a.Rank == 0 || b.Rank == 0)
        {
            context.Invalid("operands must have rank ≥ 1");
            return;
        }

        int[] ad = a.Rank == 1 ? [1, a[0]] : a.ToArray();
        int[] bd = b.Rank == 1 ? [b[0], 1] : b.ToArray();
        int m = ad[^2], k = ad[^1], n = bd[^1];
        if (bd[^2] != k)
        {
            context.Invalid($"inner dimensions differ: {a} × {b}");
            return;
        }

        int[] aBatch = ad[..^2], bBatch = bd[..^2];
        var batch = Broadcasting.BroadcastShape(aBatch, bBatch);
        if (batch is null || batch.Length > Broadcasting.MaxRank)
        {
            context.Invalid($"batch dimensions of {a} and {b} do not broadcast");
            return;
        }

        var output = new List<int>(batch);
        if (a.Rank > 1)
        {
            output.Add(m);
        }

        if (b.Rank > 1)
        {
            output.Add(n);
        }

        int count = 1;
        foreach (int d in batch)
        {
            count *= d;
        }

        var aOffsets = BatchOffsets(aBatch, batch, count, (long)m * k);
        var bOffsets = BatchOffsets(bBatch, batch, count, (long)k * n);
        context.Node.Parameters = new MatMulParameters(m, n, k, aOffsets, bOffsets);
        context.SetOutput(0, DataType.Float32, new Shape(output));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<MatMulParameters>();
        var a = context.Input<float>(0).Span;
        var b = context.Input<float>(1).Span;
        var y = context.Output<float>(0).Span;
        var packedA = context.Scratch<float>(0, Sgemm.PackedALength(p.M, p.K));
        var packedB = context.Scratch<float>(1, Sgemm.PackedBLength(p.N, p.K));
        int matrix = p.M * p.N;
        for (int i = 0; i < p.AOffsets.Length; i++)
        {
            Sgemm.Multiply(p.M, p.N, p.K, Sgemm.Matrix.RowMajor(a[(int)p.AOffsets[i]..], p.K), Sgemm.Matrix.RowMajor(b[(int)p.BOffsets[i]..], p.N),
                y.Slice(i * matrix, matrix), p.N, false, default, packedA, packedB, context.MaxDegreeOfParallelism);
        }
    }

    /// <summary>Element offset of each output batch's matrix inside an operand with batch dims <paramref name="own"/>.</summary>
    private static long[] BatchOffsets(int[] own, int[] batch, int count, long matrixSize)
    {
        var offsets = new long[count];
        int rank = batch.Length;
        var index = new int[rank];
        for (int i = 0; i < count; i++)
        {
            long offset = 0, stride = matrixSize;
            for (int d = rank - 1; d >= 0; d--)
            {
                int ownDim = d - (rank - own.Length) >= 0 ? own[d - (rank - own.Length)] : 1;
                if (ownDim != 1)
                {
                    offset += index[d] * stride;
                }

                stride *= ownDim;
            }

            offsets[i] = offset;
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < batch[d])
                {
                    break;
                }

                index[d] = 0;
            }
        }

        return offsets;
    }
}

/// <summary>A resolved MatMul: matrix sizes and, per output batch, where each operand's matrix starts.</summary>
internal sealed record MatMulParameters(int M, int N, int K, long[] AOffsets, long[] BOffsets);
