using Emc.Compiler.Ir;
using static Emc.Compiler.Tests.Evaluation.GraphFactory;

namespace Emc.Compiler.Tests.Evaluation;

[TestClass]
public sealed class GemmMatMulTests
{
    [TestMethod]
    public void GemmAttributesAndBiasBroadcastMatchTheDefinition()
    {
        var random = new Random(31);
        for (int trial = 0; trial < 24; trial++)
        {
            int m = random.Next(1, 20), n = random.Next(1, 40), k = random.Next(1, 30);
            bool ta = random.Next(2) == 1, tb = random.Next(2) == 1;
            float alpha = trial % 3 == 0 ? 1f : 0.25f + (float)random.NextDouble(), beta = trial % 4 == 0 ? 1f : (float)random.NextDouble();
            int[] cShape = (trial % 5) switch { 0 => [m, n], 1 => [n], 2 => [m, 1], 3 => [], _ => [1, n] };
            var a = Random(random, ta ? [k, m] : [m, k]);
            var b = Random(random, tb ? [n, k] : [k, n]);
            var c = Random(random, cShape);
            var y = Evaluate("Gemm", 13, [Feed(a), Const(b), Const(c)],
                Int("transA", ta ? 1 : 0), Int("transB", tb ? 1 : 0), Float("alpha", alpha), Float("beta", beta)).As<float>();
            var ab = Naive.MatMul(a.Data, b.Data, m, n, k, ta, tb);
            var expected = Naive.Broadcast(ab, [m, n], c.Data, cShape, [m, n], (p, q) => (alpha * p) + (beta * q));
            Assert.AreEqual(new Shape(m, n), y.Shape);
            AssertClose(expected, y.Data, 1e-5f, 1e-4f, $"trial {trial}");
        }

        // C optional from opset 11, required before.
        var a2 = Random(random, 2, 3);
        var b2 = Random(random, 3, 4);
        AssertClose(Naive.MatMul(a2.Data, b2.Data, 2, 4, 3), Evaluate("Gemm", 11, [Feed(a2), Feed(b2)]).As<float>().Data);
        CollectionAssert.Contains(Codes("Gemm", 9, [Feed(a2), Feed(b2)]), "EMC0202");
        CollectionAssert.Contains(Codes("Gemm", 13, [Feed(a2), Feed(a2)]), "EMC0202");
    }

    [TestMethod]
    public void MatMulHandlesVectorsAndBroadcastBatches()
    {
        var random = new Random(32);
        (int[] A, int[] B, int[] Y)[] cases =
        [
            ([3, 4], [4, 5], [3, 5]), ([4], [4, 5], [5]), ([3, 4], [4], [3]), ([4], [4], []),
            ([2, 3, 4], [2, 4, 5], [2, 3, 5]), ([2, 3, 4], [4, 5], [2, 3, 5]), ([1, 3, 4], [2, 1, 4, 6], [2, 1, 3, 6]), ([2, 1, 3, 4], [5, 4, 2], [2, 5, 3, 2]),
        ];
        foreach (var (aShape, bShape, yShape) in cases)
        {
            var a = Random(random, aShape);
            var b = Random(random, bShape);
            var y = Evaluate("MatMul", 13, [Feed(a), Feed(b)]).As<float>();
            Assert.AreEqual(new Shape(yShape), y.Shape, $"{string.Join(",", aShape)} x {string.Join(",", bShape)}");

            // Definition: y[batch…, i, j] = Σ_p a[batch…, i, p]·b[batch…, p, j] with broadcast batch indices.
            int[] ad = aShape.Length == 1 ? [1, aShape[0]] : aShape, bd = bShape.Length == 1 ? [bShape[0], 1] : bShape;
            int m = ad[^2], k = ad[^1], n = bd[^1];
            int[] batch = ad.Length - 2 >= bd.Length - 2 ? ad[..^2] : bd[..^2];
            int batchRank = Math.Max(ad.Length, bd.Length) - 2;
            batch = Enumerable.Range(0, batchRank).Select(i =>
                Math.Max(Dim(ad[..^2], i, batchRank), Dim(bd[..^2], i, batchRank))).ToArray();
            int batches = batch.Aggregate(1, (p, d) => p * d);
            var expected = new float[batches * m * n];
            for (int t = 0; t < batches; t++)
            {
                var index = new int[batchRank];
                for (int d = batchRank - 1, rem = t; d >= 0; d--)
                {
                    index[d] = rem % batch[d];
                    rem /= batch[d];
                }

                int ao = Offset(ad[..^2], index) * m * k, bo = Offset(bd[..^2], index) * k * n;
                var part = Naive.MatMul(a.Data[ao..(ao + (m * k))], b.Data[bo..(bo + (k * n))], m, n, k);
                part.CopyTo(expected, t * m * n);
            }

            AssertClose(expected, y.Data, what: $"{string.Join(",", aShape)} x {string.Join(",", bShape)}");
        }

        CollectionAssert.Contains(Codes("MatMul", 13, [Feed(Random(random, 3, 4)), Feed(Random(random, 5, 6))]), "EMC0202");
    }

    private static int Dim(int[] shape, int i, int rank) => i - (rank - shape.Length) >= 0 ? shape[i - (rank - shape.Length)] : 1;

    private static int Offset(int[] shape, int[] index)
    {
        int offset = 0, shift = index.Length - shape.Length;
        for (int d = 0; d < shape.Length; d++)
        {
            offset = (offset * shape[d]) + (shape[d] == 1 ? 0 : index[d + shift]);
        }

        return offset;
    }
}
