using Emc.Compiler.Evaluation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Tests;

namespace Emc.Compiler.Tests.Evaluation;

/// <summary>The ONNX backend node tests of the evaluator's operators (../shared/testdata/onnx-node): stored outputs
/// reproduced within rtol 1e-3, atol 1e-5; tests of features we do not implement rejected with a diagnostic (integer graph inputs are already refused by the importer, EMC0109).</summary>
[TestClass]
public sealed class OnnxNodeTests
{
    public static IEnumerable<object[]> Supported =>
        new[]
        {
            "test_add", "test_add_bcast", "test_sub", "test_sub_bcast", "test_sub_example", "test_mul", "test_mul_bcast", "test_mul_example",
            "test_div", "test_div_bcast", "test_div_example",
            "test_averagepool_2d_ceil", "test_averagepool_2d_ceil_last_window_starts_on_pad", "test_averagepool_2d_default",
            "test_averagepool_2d_dilations", "test_averagepool_2d_pads", "test_averagepool_2d_pads_count_include_pad",
            "test_averagepool_2d_precomputed_pads", "test_averagepool_2d_precomputed_pads_count_include_pad",
            "test_averagepool_2d_precomputed_same_upper", "test_averagepool_2d_precomputed_strides", "test_averagepool_2d_same_lower",
            "test_averagepool_2d_same_upper", "test_averagepool_2d_strides",
            "test_maxpool_2d_ceil", "test_maxpool_2d_ceil_output_size_reduce_by_one", "test_maxpool_2d_default", "test_maxpool_2d_dilations",
            "test_maxpool_2d_pads", "test_maxpool_2d_precomputed_pads", "test_maxpool_2d_precomputed_same_upper",
            "test_maxpool_2d_precomputed_strides", "test_maxpool_2d_same_lower", "test_maxpool_2d_same_upper", "test_maxpool_2d_strides",
            "test_globalaveragepool", "test_globalaveragepool_precomputed", "test_globalmaxpool", "test_globalmaxpool_precomputed",
            "test_basic_conv_with_padding", "test_basic_conv_without_padding", "test_conv_with_autopad_same",
            "test_conv_with_strides_and_asymmetric_padding", "test_conv_with_strides_no_padding", "test_conv_with_strides_padding",
            "test_batchnorm_epsilon", "test_batchnorm_example",
            "test_clip", "test_clip_default_inbounds", "test_clip_default_max", "test_clip_default_min", "test_clip_example",
            "test_clip_inbounds", "test_clip_min_greater_than_max", "test_clip_outbounds", "test_clip_splitbounds",
            "test_gemm_all_attributes", "test_gemm_alpha", "test_gemm_beta", "test_gemm_default_matrix_bias", "test_gemm_default_no_bias",
            "test_gemm_default_scalar_bias", "test_gemm_default_single_elem_vector_bias", "test_gemm_default_vector_bias",
            "test_gemm_default_zero_bias", "test_gemm_transposeA", "test_gemm_transposeB", "test_matmul_2d",
            "test_exp", "test_exp_example", "test_hardsigmoid", "test_hardsigmoid_default", "test_hardsigmoid_example", "test_hardswish",
            "test_leakyrelu", "test_leakyrelu_default", "test_leakyrelu_example", "test_prelu_broadcast", "test_prelu_example", "test_relu",
            "test_sigmoid", "test_sigmoid_example", "test_tanh", "test_tanh_example",
            "test_softmax_axis_0", "test_softmax_axis_1", "test_softmax_axis_2", "test_softmax_default_axis", "test_softmax_example",
            "test_softmax_large_number", "test_softmax_negative_axis",
        }.Select(n => new object[] { n });

    [TestMethod]
    [DynamicData(nameof(Supported))]
    public void ReproducesStoredOutputs(string test)
    {
        string folder = TestData.Path("onnx-node", test);
        var imported = OnnxImporter.Import(Path.Combine(folder, "model.onnx"));
        Assert.IsTrue(imported.Succeeded, string.Join(Environment.NewLine, imported.Diagnostics));
        var evaluator = new ReferenceEvaluator(imported.Value!);
        foreach (string set in Directory.GetDirectories(folder, "test_data_set_*").Order(StringComparer.Ordinal))
        {
            var inputs = ReadAll(set, "input_");
            var expected = ReadAll(set, "output_");

            // Graph inputs exclude initializers; the stored inputs are the run-time ones in order.
            var result = evaluator.TryRun(inputs);
            Assert.IsTrue(result.Succeeded, string.Join(Environment.NewLine, result.Diagnostics));
            Assert.HasCount(expected.Count, result.Value!);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.AreEqual(expected[i].Shape, result.Value![i].Shape, $"{set}: output {i} shape");
                GraphFactory.AssertClose(expected[i].ToFloatArray(), result.Value[i].ToFloatArray(), 1e-5f, 1e-3f, $"{set}: output {i}");
            }
        }
    }

    [TestMethod]
    [DataRow("test_averagepool_1d_default", "EMC0206")]
    [DataRow("test_maxpool_1d_default", "EMC0206")]
    [DataRow("test_maxpool_2d_uint8", "EMC0109")]
    [DataRow("test_batchnorm_example_training_mode", "EMC0201")]
    [DataRow("test_add_uint8", "EMC0109")]
    public void RejectsWhatIsNotImplementedWithADiagnostic(string test, string code)
    {
        var imported = OnnxImporter.Import(TestData.Path("onnx-node", test, "model.onnx"));
        Assert.IsFalse(imported.Succeeded);
        CollectionAssert.Contains(imported.Diagnostics.Select(d => d.Code).ToList(), code, string.Join(Environment.NewLine, imported.Diagnostics));
    }

    internal static List<Tensor> ReadAll(string set, string prefix)
    {
        var tensors = new List<Tensor>();
        for (int i = 0; File.Exists(Path.Combine(set, $"{prefix}{i}.pb")); i++)
        {
            var read = TensorProtoConverter.ReadFile(Path.Combine(set, $"{prefix}{i}.pb"));
            Assert.IsTrue(read.Succeeded, string.Join(Environment.NewLine, read.Diagnostics));
            tensors.Add(read.Value!);
        }

        return tensors;
    }
}
