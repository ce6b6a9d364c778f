using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>For IR rewrites that must keep a model's meaning: the model imported twice, one copy rewritten, and both run
/// by the float evaluator on the same samples (x = q/255).</summary>
internal static class RewrittenGraph
{
    /// <summary>Rewrites a fresh import with <paramref name="rewrite"/> (which must change <paramref name="places"/> places)
    /// and asserts every output value equals the model's own within <paramref name="tolerance"/> (0: bit for bit).</summary>
    public static Ir.Graph AssertSameValues(ModelProto model, Func<Ir.Graph, int> rewrite, int places, IEnumerable<byte[]> samples, double tolerance = 0)
    {
        var original = OnnxImporter.Import(model).Value!;
        var rewritten = OnnxImporter.Import(model).Value!;
        Assert.AreEqual(places, rewrite(rewritten), "places rewritten");
        foreach (var sample in samples)
        {
            var x = Tensor.Create(original.Inputs[0].Shape!, sample.Select(q => q / 255f).ToArray());
            var want = new ReferenceEvaluator(original).Run(x)[0].ToFloatArray();
            var got = new ReferenceEvaluator(rewritten).Run(x)[0].ToFloatArray();
            if (tolerance == 0)
            {
                CollectionAssert.AreEqual(want, got);
            }
            else
            {
                Assert.IsLessThan(tolerance, want.Zip(got, (a, b) => Math.Abs(a - b)).Max());
            }
        }

        return rewritten;
    }
}
