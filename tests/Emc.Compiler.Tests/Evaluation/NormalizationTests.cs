using Emc.Compiler.Ir;
using static Emc.Compiler.Tests.Evaluation.GraphFactory;

namespace Emc.Compiler.Tests.Evaluation;

[TestClass]
public sealed class NormalizationTests
{
    private static float[] NaiveSoftmax(float[] x, int outer, int length, int inner, bool log)
    {
        var y = new float[x.Length];
        for (int o = 0; o < outer; o++)
        for (int i = 0; i < inner; i++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int a = 0; a < length; a++)
            {
                max = Math.Max(max, x[(((o * length) + a) * inner) + i]);
            }

            for (int a = 0; a < length; a++)
            {
                sum += Math.Exp(x[(((o * length) + a) * inner) + i] - max);
            }

            for (int a = 0; a < length; a++)
            {
                double v = x[(((o * length) + a) * inner) + i] - max;
                y[(((o * length) + a) * inner) + i] = (float)(log ? v - Math.Log(sum) : Math.Exp(v) / sum);
            }
        }

        return y;
    }

    [TestMethod]
    public void SoftmaxAxisSemanticsFollowTheOpset()
    {
        var random = new Random(21);
        var x = Random(random, 3, 4, 5);
        for (int i = 0; i < x.Data.Length; i++)
        {
            x.Data[i] *= 30; // large logits: the max must be subtracted
        }

        foreach (bool log in new[] { false, true })
        {
            string op = log ? "LogSoftmax" : "Softmax";
            // Opset 13: single axis, default −1.
            AssertClose(NaiveSoftmax(x.Data, 12, 5, 1, log), Evaluate(op, 13, [Feed(x)]).As<float>().Data, 1e-6f, 1e-5f, op + " 13 default");
            AssertClose(NaiveSoftmax(x.Data, 3, 4, 5, log), Evaluate(op, 13, [Feed(x)], Int("axis", 1)).As<float>().Data, 1e-6f, 1e-5f, op + " 13 axis 1");
            AssertClose(NaiveSoftmax(x.Data, 1, 3, 20, log), Evaluate(op, 13, [Feed(x)], Int("axis", 0)).As<float>().Data, 1e-6f, 1e-5f, op + " 13 axis 0");
            // Opset < 13: coerced to 2-D at axis, default 1.
            AssertClose(NaiveSoftmax(x.Data, 3, 20, 1, log), Evaluate(op, 11, [Feed(x)]).As<float>().Data, 1e-6f, 1e-5f, op + " 11 default");
            AssertClose(NaiveSoftmax(x.Data, 1, 60, 1, log), Evaluate(op, 11, [Feed(x)], Int("axis", 0)).As<float>().Data, 1e-6f, 1e-5f, op + " 11 axis 0");
            AssertClose(NaiveSoftmax(x.Data, 12, 5, 1, log), Evaluate(op, 11, [Feed(x)], Int("axis", -1)).As<float>().Data, 1e-6f, 1e-5f, op + " 11 axis -1");
        }

        CollectionAssert.Contains(Codes("Softmax", 13, [Feed(x)], [Int("axis", 3)]), "EMC0202");
    }

    [TestMethod]
    public void BatchNormalizationUsesRunTimeStatistics()
    {
        var random = new Random(22);
        var x = Random(random, 2, 3, 4, 5);
        var scale = Random(random, 3);
        var bias = Random(random, 3);
        var mean = Random(random, 3);
        var variance = Floats([3], 0.5f, 1.5f, 2f);
        foreach (long opset in new long[] { 7, 9, 15 })
        {
            var y = Evaluate("BatchNormalization", opset, [Feed(x), Feed(scale), Const(bias), Feed(mean), Const(variance)], Float("epsilon", 1e-3f)).As<float>();
            var expected = new float[x.Data.Length];
            for (int i = 0; i < expected.Length; i++)
            {
                int c = i / 20 % 3;
                expected[i] = (float)(((x.Data[i] - mean.Data[c]) / Math.Sqrt(variance.Data[c] + 1e-3)) * scale.Data[c] + bias.Data[c]);
            }

            AssertClose(expected, y.Data, 1e-5f, 1e-5f, "opset " + opset);
        }

        Input[] inputs = [Feed(x), Feed(scale), Feed(bias), Feed(mean), Feed(variance)];
        CollectionAssert.Contains(Codes("BatchNormalization", 15, inputs, [Int("training_mode", 1)]), "EMC0201");
        CollectionAssert.Contains(Codes("BatchNormalization", 15, inputs, outputs: 3), "EMC0201");
        CollectionAssert.Contains(Codes("BatchNormalization", 7, inputs, [Int("spatial", 0)]), "EMC0201");
        CollectionAssert.Contains(Codes("BatchNormalization", 15, [Feed(x), Feed(Random(random, 4)), Feed(bias), Feed(mean), Feed(variance)]), "EMC0202");
    }

    [TestMethod]
    public void LrnNormalisesOverTheChannelWindow()
    {
        var random = new Random(23);
        var x = Random(random, 1, 7, 2, 3);
        foreach (int size in new[] { 1, 2, 3, 5 })
        {
            var y = Evaluate("LRN", 13, [Feed(x)], Int("size", size), Float("alpha", 0.002f), Float("beta", 0.6f), Float("bias", 2f)).As<float>();
            var expected = new float[x.Data.Length];
            for (int c = 0; c < 7; c++)
            for (int i = 0; i < 6; i++)
            {
                double sum = 0;
                for (int k = Math.Max(0, c - ((size - 1) / 2)); k <= Math.Min(6, c + (int)Math.Ceiling((size - 1) / 2.0)); k++)
                {
                    sum += x.Data[(k * 6) + i] * (double)x.Data[(k * 6) + i];
                }

                expected[(c * 6) + i] = (float)(x.Data[(c * 6) + i] / Math.Pow(2 + (0.002 / size * sum), 0.6));
            }

            AssertClose(expected, y.Data, 1e-6f, 1e-5f, "size " + size);
        }
    }
}
