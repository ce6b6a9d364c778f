using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Tests;

namespace Emc.Compiler.Tests.Import;

/// <summary>Runs the ONNX backend tests of the structural operators written here and compares with the stored outputs.</summary>
[TestClass]
public sealed class StructuralOpConformanceTests
{
    // Inputs that carry operator parameters in recent opsets; the node tests feed them from input_N.pb.
    private static readonly HashSet<string> s_parameterInputs =
        ["shape", "pads", "constant_value", "value", "axes", "scales", "sizes", "roi", "starts", "ends", "steps", "split", "repeats"];

    private static readonly string[] s_prefixes =
    [
        "test_reshape", "test_flatten", "test_squeeze", "test_unsqueeze", "test_transpose", "test_concat", "test_constant",
        "test_constant_pad", "test_resize", "test_upsample", "test_identity", "test_dropout", "test_edge_pad", "test_reflect_pad",
        "test_PixelShuffle", "test_ConstantPad2d", "test_ZeroPad2d", "test_ReflectionPad2d", "test_ReplicationPad2d",
        "test_operator_pad", "test_operator_permute2", "test_operator_flatten", "test_operator_view", "test_operator_concat2",
        "test_expand_shape_model", "test_Linear_no_bias",
    ];

    public static IEnumerable<object[]> Cases()
    {
        if (!TestData.IsAvailable)
        {
            yield return ["(test data absent)", ""];
            yield break;
        }

        string root = TestData.Path();
        foreach (string folder in new[] { "onnx-node", "onnx-pytorch-converted", "onnx-pytorch-operator", "onnx-simple" })
        {
            foreach (string dir in Directory.GetDirectories(Path.Combine(root, folder)).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(dir);
                if (s_prefixes.Any(p => name == p || name.StartsWith(p + "_", StringComparison.Ordinal) || (p.EndsWith("model", StringComparison.Ordinal) && name.StartsWith(p, StringComparison.Ordinal))))
                {
                    yield return [folder, name];
                }
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void MatchesStoredOutputs(string folder, string test)
    {
        string dir = TestData.Path(folder, test);
        string model = Path.Combine(dir, "model.onnx");
        var proto = Emc.Onnx.OnnxModelLoader.Load(model).Value!;
        var initializers = proto.Graph.Initializer.Select(t => t.Name).ToHashSet();
        var runtimeInputs = proto.Graph.Input.Where(i => !initializers.Contains(i.Name)).Select(i => i.Name).ToList();
        foreach (string dataSet in Directory.GetDirectories(dir, "test_data_set_*").Order(StringComparer.Ordinal))
        {
            var inputs = runtimeInputs.Select((_, k) => Read(Path.Combine(dataSet, $"input_{k}.pb"))).ToList();
            var constants = new Dictionary<string, Tensor>();
            var fed = new List<Tensor>();
            for (int k = 0; k < inputs.Count; k++)
            {
                if (s_parameterInputs.Contains(runtimeInputs[k]))
                {
                    constants[runtimeInputs[k]] = inputs[k];
                }
                else
                {
                    fed.Add(inputs[k]);
                }
            }

            var result = OnnxImporter.Import(model, new ImportOptions { ConstantInputs = constants });
            if (!result.Succeeded)
            {
                // Negative cases must be rejected with a diagnostic that names the reason.
                Assert.IsTrue(result.Diagnostics.Any(d => d.IsError), "import failed without an error");
                Assert.IsTrue(test.Contains("edge", StringComparison.Ordinal) || test.Contains("reflect", StringComparison.OrdinalIgnoreCase)
                    || test.Contains("Replication", StringComparison.Ordinal) || test.Contains("linear", StringComparison.Ordinal)
                    || test.Contains("operator_view", StringComparison.Ordinal) || test == "test_operator_pad",
                    $"{test} unexpectedly rejected: {string.Join(Environment.NewLine, result.Diagnostics)}");
                return;
            }

            var graph = result.Value!;
            var outputs = new ReferenceEvaluator(graph).Run(fed);
            for (int k = 0; k < outputs.Count; k++)
            {
                var expected = Read(Path.Combine(dataSet, $"output_{k}.pb"));
                AssertClose(expected, outputs[k], $"{test} output {k}");
            }
        }
    }

    private static Tensor Read(string path)
    {
        var result = TensorProtoConverter.ReadFile(path);
        Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
        return result.Value!;
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.AreEqual(expected.Shape, actual.Shape, what + " shape");
        Assert.AreEqual(expected.Type, actual.Type, what + " type");
        var e = expected.ToFloatArray();
        var a = actual.ToFloatArray();
        for (int i = 0; i < e.Length; i++)
        {
            Assert.IsTrue(Math.Abs(e[i] - a[i]) <= 1e-7 + (1e-3 * Math.Abs(e[i])), $"{what}[{i}]: expected {e[i]}, got {a[i]}");
        }
    }
}
