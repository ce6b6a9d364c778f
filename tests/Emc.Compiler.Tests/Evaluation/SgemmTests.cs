using Emc.Compiler.Evaluation.Kernels;
using static Emc.Compiler.Tests.Evaluation.GraphFactory;

namespace Emc.Compiler.Tests.Evaluation;

[TestClass]
public sealed class SgemmTests
{
    [TestMethod]
    public void RandomShapesTransposesBiasAndAccumulationMatchNaiveProduct()
    {
        var random = new Random(1234);
        int[] sizes = [1, 2, 5, 6, 7, 15, 16, 17, 33, 72, 73, 100, 257, 300];
        for (int trial = 0; trial < 60; trial++)
        {
            int m = sizes[random.Next(sizes.Length)], n = sizes[random.Next(sizes.Length)], k = sizes[random.Next(sizes.Length)];
            bool ta = random.Next(2) == 1, tb = random.Next(2) == 1, accumulate = random.Next(2) == 1, withBias = random.Next(2) == 1;
            var a = Random(random, m * k).Data;
            var b = Random(random, k * n).Data;
            var bias = Random(random, m).Data;
            var c0 = Random(random, m * n).Data;
            var expected = Naive.MatMul(a, b, m, n, k, ta, tb);
            for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                expected[(i * n) + j] += (accumulate ? c0[(i * n) + j] : 0f) + (withBias ? bias[i] : 0f);
            }

            var c = (float[])c0.Clone();
            var ma = ta ? Sgemm.Matrix.Transposed(a, m) : Sgemm.Matrix.RowMajor(a, k);
            var mb = tb ? Sgemm.Matrix.Transposed(b, k) : Sgemm.Matrix.RowMajor(b, n);
            Sgemm.Multiply(m, n, k, ma, mb, c, n, accumulate, withBias ? bias : default,
                new float[Sgemm.PackedALength(m, k)], new float[Sgemm.PackedBLength(n, k)]);
            AssertClose(expected, c, 1e-4f, 1e-4f, $"m={m} n={n} k={k} ta={ta} tb={tb} acc={accumulate} bias={withBias}");
        }
    }

    [TestMethod]
    public void LeadingDimensionLeavesOtherColumnsUntouched()
    {
        var random = new Random(7);
        int m = 13, n = 20, k = 9, ldc = 31;
        var a = Random(random, m * k).Data;
        var b = Random(random, k * n).Data;
        var c = Enumerable.Repeat(42f, m * ldc).ToArray();
        Sgemm.Multiply(m, n, k, Sgemm.Matrix.RowMajor(a, k), Sgemm.Matrix.RowMajor(b, n), c, ldc, false, default,
            new float[Sgemm.PackedALength(m, k)], new float[Sgemm.PackedBLength(n, k)]);
        var expected = Naive.MatMul(a, b, m, n, k);
        for (int i = 0; i < m; i++)
        {
            AssertClose(expected.AsSpan(i * n, n), c.AsSpan(i * ldc, n), what: "row " + i);
            Assert.IsTrue(c.AsSpan((i * ldc) + n, ldc - n).ToArray().All(v => v == 42f), "padding columns written");
        }
    }

    [TestMethod]
    public void SameInputsGiveBitIdenticalResults()
    {
        var random = new Random(3);
        int m = 50, n = 70, k = 600;
        var a = Random(random, m * k).Data;
        var b = Random(random, k * n).Data;
        float[] Run()
        {
            var c = new float[m * n];
            Sgemm.Multiply(m, n, k, Sgemm.Matrix.RowMajor(a, k), Sgemm.Matrix.RowMajor(b, n), c, n, false, default,
                new float[Sgemm.PackedALength(m, k)], new float[Sgemm.PackedBLength(n, k)]);
            return c;
        }

        CollectionAssert.AreEqual(Run(), Run());
    }

    [TestMethod]
    public void SplittingColumnsOverThreadsGivesBitIdenticalResults()
    {
        var random = new Random(9);
        foreach (var (m, n, k) in new[] { (20, 1000, 300), (7, 129, 5), (64, 3136, 32) })
        {
            var a = Random(random, m * k).Data;
            var b = Random(random, k * n).Data;
            var bias = Random(random, m).Data;
            float[] Run(int threads)
            {
                var c = new float[m * n];
                Sgemm.Multiply(m, n, k, Sgemm.Matrix.RowMajor(a, k), Sgemm.Matrix.RowMajor(b, n), c, n, false, bias,
                    new float[Sgemm.PackedALength(m, k)], new float[Sgemm.PackedBLength(n, k)], threads);
                return c;
            }

            var single = Run(1);
            AssertClose(Naive.MatMul(a, b, m, n, k).Select((v, i) => v + bias[i / n]).ToArray(), single, 1e-4f, 1e-4f);
            foreach (int threads in new[] { 2, 3, 4 })
            {
                CollectionAssert.AreEqual(single, Run(threads), $"{m}x{n}x{k} with {threads} threads");
            }
        }
    }
}
