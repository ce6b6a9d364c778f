using Emc.Tests;

namespace Emc.Compiler.Tests.Differential;

/// <summary>
/// Our importer + evaluator against ONNX Runtime (npm onnxruntime-node 1.22.0, CPU, 1 thread, optimizations off) on
/// seeded random models: per operator a few dozen shapes/attributes, plus random small CNNs. Tolerance rtol 1e-4,
/// atol 1e-5 (float32 summation order differs from ORT's MLAS kernels; see the CNN test for its own bound).
/// </summary>
[TestClass]
[TestCategory(TestCategories.Slow)]
public sealed class OrtDifferentialTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Activations_match_ort() => Run([.. ElementwiseCases.Unary(101), .. ElementwiseCases.Clip(102), .. ElementwiseCases.PRelu(103)]);

    [TestMethod]
    public void Broadcasting_arithmetic_and_sum_match_ort() => Run([.. ElementwiseCases.Binary(201), .. ElementwiseCases.Sum(202)]);

    [TestMethod]
    public void Softmax_and_logsoftmax_match_ort() => Run([.. ElementwiseCases.Softmax(301)]);

    [TestMethod]
    public void Conv_matches_ort() => Run([.. ConvPoolCases.Conv(401)]);

    [TestMethod]
    public void ConvTranspose_matches_ort() => Run([.. TransposedConvCases.ConvTranspose(402)]);

    [TestMethod]
    public void DepthToSpace_matches_ort() => Run([.. TransposedConvCases.DepthToSpace(403)]);

    [TestMethod]
    public void Pooling_matches_ort() => Run([.. ConvPoolCases.Pool(501)]);

    [TestMethod]
    public void Gemm_and_matmul_match_ort() => Run([.. ConvPoolCases.Gemm(601), .. ConvPoolCases.MatMul(602)]);

    [TestMethod]
    public void BatchNormalization_and_lrn_match_ort() => Run([.. ConvPoolCases.NormalizationAndLrn(701)]);

    [TestMethod]
    public void Layout_ops_match_ort() => Run([.. ShapeCases.Layout(801)]);

    [TestMethod]
    public void Concat_and_split_match_ort() => Run([.. ShapeCases.ConcatSplit(802)]);

    [TestMethod]
    public void Pad_slice_gather_expand_tile_match_ort() => Run([.. ShapeCases.PadSliceGather(803)]);

    [TestMethod]
    public void Resize_nearest_matches_ort() => Run([.. ShapeCases.Resize(804)]);

    [TestMethod]
    public void ReduceMean_matches_ort() => Run([.. ShapeCases.ReduceMean(806)]);

    [TestMethod]
    public void Resize_and_upsample_linear_match_ort() => Run([.. ShapeCases.ResizeLinear(805)]);

    [TestMethod]
    public void Lstm_matches_ort() => Run([.. RecurrentCases.Lstm(807)]);

    [TestMethod]
    public void Gru_matches_ort() => Run([.. RecurrentCases.Gru(808)]);

    /// <summary>60 random CNNs. Deep float32 chains accumulate rounding differently from ORT: atol 1e-4.</summary>
    [TestMethod]
    public void Random_cnns_match_ort() => Run([.. RandomCnnCases.Networks(901, 60)], atol: 1e-4);

    private void Run(List<DifferentialCase> cases, double atol = DifferentialRunner.Atol)
    {
        OrtOracle.RequireAvailable();
        DifferentialRunner.AssertAllAgree(cases, TestContext, DifferentialRunner.Rtol, atol);
    }
}
