using System.Numerics.Tensors;

namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>ONNX Gemm: Y[M×N] = alpha·A'·B' + beta·C, A' = transA ? Aᵀ : A, B' likewise, C broadcast to [M, N].</summary>
internal static class GemmKernel
{
    /// <summary>Scratch floats <see cref="Run"/> needs.</summary>
    public static int ScratchLength(int m, int n, int k, int cLength) =>
        checked(Sgemm.PackedALength(m, k) + Sgemm.PackedBLength(n, k) + cLength);

    public static void Run(int m, int n, int k, ReadOnlySpan<float> a, bool transA, ReadOnlySpan<float> b, bool transB, float alpha,
        ReadOnlySpan<float> c, ReadOnlySpan<int> cShape, float beta, Span<float> y, Span<float> scratch, int maxDegreeOfParallelism = 1)
    {
        var packedA = scratch[..Sgemm.PackedALength(m, k)];
        var packedB = scratch.Slice(packedA.Length, Sgemm.PackedBLength(n, k));
        var ma = transA ? Sgemm.Matrix.Transposed(a, m) : Sgemm.Matrix.RowMajor(a, k);
        var mb = transB ? Sgemm.Matrix.Transposed(b, k) : Sgemm.Matrix.RowMajor(b, n);
        Sgemm.Multiply(m, n, k, ma, mb, y, n, false, default, packedA, packedB, maxDegreeOfParallelism);
        if (alpha != 1f)
        {
            TensorPrimitives.Multiply(y, alpha, y);
        }

        if (c.IsEmpty || beta == 0f)
        {
            return;
        }

        if (beta != 1f)
        {
            var scaled = scratch.Slice(packedA.Length + packedB.Length, c.Length);
            TensorPrimitives.Multiply(c, beta, scaled);
            c = scaled;
        }

        Broadcasting.Binary(BinaryOperation.Add, y, [m, n], c, cShape, y, [m, n]);
    }
}
