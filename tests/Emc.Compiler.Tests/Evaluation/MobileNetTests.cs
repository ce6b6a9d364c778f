using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Tests;

namespace Emc.Compiler.Tests.Evaluation;

/// <summary>MobileNetV1-0.25 with real ImageNet weights: our float output against ONNX Runtime's stored output.</summary>
[TestClass]
public sealed class MobileNetTests
{
    [TestMethod]
    public void EveryTestSetMatchesOnnxRuntimeWithin1e4AndSameTop1()
    {
        string folder = TestData.Path("mobilenetv1-0.25-imagenet");
        var imported = OnnxImporter.Import(Path.Combine(folder, "model.onnx"));
        Assert.IsTrue(imported.Succeeded, string.Join(Environment.NewLine, imported.Diagnostics));
        var evaluator = new ReferenceEvaluator(imported.Value!);
        var parallel = new ReferenceEvaluator(imported.Value!, new EvaluatorOptions { MaxDegreeOfParallelism = 2 });
        var sets = Directory.GetDirectories(folder, "test_data_set_*").Order(StringComparer.Ordinal).ToArray();
        Assert.IsNotEmpty(sets);
        foreach (string set in sets)
        {
            var input = OnnxNodeTests.ReadAll(set, "input_");
            var expected = OnnxNodeTests.ReadAll(set, "output_")[0].ToFloatArray();
            var actual = evaluator.Run(input)[0].ToFloatArray();
            Assert.HasCount(1000, actual);
            float worst = 0f;
            for (int i = 0; i < expected.Length; i++)
            {
                worst = MathF.Max(worst, MathF.Abs(expected[i] - actual[i]));
            }

            Assert.IsLessThanOrEqualTo(1e-4f, worst, $"{Path.GetFileName(set)}: max abs difference");
            Assert.AreEqual(ArgMax(expected), ArgMax(actual), $"{Path.GetFileName(set)}: top-1");
            CollectionAssert.AreEqual(actual, parallel.Run(input)[0].ToFloatArray(), $"{Path.GetFileName(set)}: 2 threads differ from 1");
        }
    }

    private static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
