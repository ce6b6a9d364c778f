namespace Emc.Compiler.Tests.Conformance;

/// <summary>What the conformance suites must show. A test whose ops are all <see cref="RequiredOps"/> and that is not a
/// listed rejection must match the stored outputs; a listed rejection must fail with a diagnostic naming the op or
/// construct; anything else may either pass or be rejected with a diagnostic naming one of its ops.</summary>
internal static class ConformanceExpectations
{
    /// <summary>Operators issue 2 and the onnx-front / evaluator briefs commit to.</summary>
    public static readonly HashSet<string> RequiredOps = new(StringComparer.Ordinal)
    {
        "Conv", "BatchNormalization", "Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
        "Exp", "Softmax", "LogSoftmax", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Gemm", "MatMul",
        "Add", "Sub", "Mul", "Div", "Sum", "Neg", "Elu", "Selu", "Softplus", "Sign", "Shrink", "LRN",
        "Concat", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Split", "Pad", "Resize", "Upsample",
        "Identity", "Dropout", "Constant", "Shape", "Gather", "Cast", "ConstantOfShape", "Range", "Slice", "Expand", "Tile",
        "LSTM",
    };

    /// <summary>Negative cases (onnx-tests-index.tsv notes + PROVENANCE.md): must be rejected; the error text must contain
    /// one of the given words (the op, or the unsupported type/construct).</summary>
    public static readonly Dictionary<string, string[]> MustReject = new(StringComparer.Ordinal)
    {
        ["onnx-node/test_add_uint8"] = ["uint8"],
        ["onnx-node/test_maxpool_2d_uint8"] = ["uint8"],
        ["onnx-node/test_averagepool_1d_default"] = ["AveragePool"],
        ["onnx-node/test_maxpool_1d_default"] = ["MaxPool"],
        ["onnx-node/test_batchnorm_example_training_mode"] = ["BatchNormalization"],
        ["onnx-node/test_edge_pad"] = ["Pad"],
        ["onnx-node/test_reflect_pad"] = ["Pad"],
        ["onnx-pytorch-converted/test_Conv1d"] = ["Conv"],
        ["onnx-pytorch-converted/test_Conv3d"] = ["Conv"],
        ["onnx-pytorch-converted/test_MaxPool1d"] = ["MaxPool"],
        ["onnx-pytorch-converted/test_ReflectionPad2d"] = ["Pad"],
        ["onnx-pytorch-converted/test_ReplicationPad2d"] = ["Pad"],
        ["onnx-pytorch-operator/test_operator_maxpool"] = ["MaxPool"],
        ["onnx-pytorch-operator/test_operator_pad"] = ["Pad"], // mode = reflect
        ["onnx-simple/test_gradient_of_add"] = ["Gradient"],
        ["onnx-simple/test_gradient_of_add_and_mul"] = ["Gradient"],
        ["onnx-simple/test_sequence_model1"] = ["Sequence", "sequence"],
        ["onnx-simple/test_sequence_model2"] = ["Sequence", "sequence"],
        ["onnx-simple/test_sequence_model3"] = ["Sequence", "sequence"],
        ["onnx-simple/test_sequence_model4"] = ["Sequence", "sequence"],
        ["onnx-simple/test_sequence_model5"] = ["Sequence", "sequence"],
        ["onnx-simple/test_sequence_model6"] = ["Sequence", "sequence"],
        ["onnx-simple/test_sequence_model7"] = ["Sequence", "sequence"],
        ["onnx-simple/test_sequence_model8"] = ["Sequence", "sequence"],
        ["onnx-simple/test_strnorm_model_monday_casesensintive_lower"] = ["StringNormalizer", "string"],
        ["onnx-simple/test_strnorm_model_monday_casesensintive_nochangecase"] = ["StringNormalizer", "string"],
        ["onnx-simple/test_strnorm_model_monday_casesensintive_upper"] = ["StringNormalizer", "string"],
        ["onnx-simple/test_strnorm_model_monday_empty_output"] = ["StringNormalizer", "string"],
        ["onnx-simple/test_strnorm_model_monday_insensintive_upper_twodim"] = ["StringNormalizer", "string"],
        ["onnx-simple/test_strnorm_model_nostopwords_nochangecase"] = ["StringNormalizer", "string"],
    };

    /// <summary>Required ops in a form the float32 K210 pipeline does not promise (float64 graphs; rank-3 BN/PRelu):
    /// passing is fine, so is a rejection whose text contains one of the words.</summary>
    public static readonly Dictionary<string, string[]> MayReject = new(StringComparer.Ordinal)
    {
        ["onnx-pytorch-operator/test_operator_add_broadcast"] = ["float64", "double"],
        ["onnx-pytorch-operator/test_operator_add_size1_broadcast"] = ["float64", "double"],
        ["onnx-pytorch-operator/test_operator_addconstant"] = ["float64", "double"],
        ["onnx-pytorch-converted/test_BatchNorm1d_3d_input_eval"] = ["BatchNormalization"],
        ["onnx-pytorch-converted/test_PReLU_1d"] = ["PRelu"],
    };

    /// <summary>The tolerance for the node-test suites (PROVENANCE: no folder has a data.json override).</summary>
    public const double Rtol = 1e-3;

    public const double Atol = 1e-5;
}
