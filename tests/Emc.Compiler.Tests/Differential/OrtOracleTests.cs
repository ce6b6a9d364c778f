using Emc.Compiler.Ir;
using Emc.Tests;

namespace Emc.Compiler.Tests.Differential;

/// <summary>The oracle's own plumbing: a real ONNX file through node/ORT, checked against the operator's definition.</summary>
[TestClass]
public sealed class OrtOracleTests
{
    [TestMethod]
    public void Runs_a_real_model_and_reports_rejected_models_without_stopping_the_batch()
    {
        byte[] relu = File.ReadAllBytes(TestData.Path("onnx-node", "test_relu", "model.onnx"));
        var random = new Random(7);
        float[] x = Enumerable.Range(0, 3 * 4 * 5).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var input = Tensor.Create(new Shape(3, 4, 5), x);

        IReadOnlyList<OrtOutcome> outcomes = OrtOracle.Run(
        [
            new OrtCase("relu", relu, [input]),
            new OrtCase("garbage", [0x08, 0xff, 0xff], [input]),
            new OrtCase("relu-again", relu, [input]),
        ]);

        Assert.HasCount(3, outcomes);
        Assert.IsNotNull(outcomes[1].Error, "ORT must reject a corrupt model");
        foreach (OrtOutcome ok in new[] { outcomes[0], outcomes[2] })
        {
            Assert.IsNull(ok.Error, ok.Error);
            Tensor<float> y = ok.Outputs[0].As<float>();
            Assert.AreEqual(input.Shape, y.Shape);
            for (int i = 0; i < x.Length; i++)
            {
                Assert.AreEqual(MathF.Max(x[i], 0f), y.Data[i], $"element {i}");
            }
        }
    }
}
