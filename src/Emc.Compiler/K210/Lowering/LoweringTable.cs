using Emc.Compiler.K210.Lowering.Nodes;

namespace Emc.Compiler.K210.Lowering;

/// <summary>
/// ONNX op type → lowering: the one place that says which ops the K210 back end takes. An op the importer
/// understands but that is missing here is rejected with EMC0501 naming the node.
/// </summary>
internal static class LoweringTable
{
    public static IReadOnlyList<INodeLowering> All { get; } =
    [
        ConvLowering.Instance,
        ConvTransposeLowering.Instance,
        DepthToSpaceLowering.Instance,
        MaxPoolLowering.Instance,
        AveragePoolLowering.Instance,
        FullyConnectedLowering.Instance,
        AddLowering.Instance,
        ConcatLowering.Instance,
        ResizeLowering.Instance,
        SoftmaxLowering.Instance,
        SigmoidLowering.Instance,
        ElementwiseTableLowering.Instance,
        ReshapeLowering.Instance,
        TransposeLowering.Instance,
        SelectionLowering.Instance,
        ZeroPadLowering.Instance,
        FusedOnlyLowering.Instance,
    ];

    private static readonly Dictionary<string, INodeLowering> ByOpType = All
        .SelectMany(l => l.OpTypes.Select(op => (op, l)))
        .ToDictionary(x => x.op, x => x.l, StringComparer.Ordinal);

    /// <summary>Why an op without a lowering is rejected.</summary>
    public const string NoLayerMessage = "kmodel v3 has no layer for this operator (spec §10 lists what maps)";

    /// <summary>The lowering for an op type, or null when kmodel v3 has no layer for it.</summary>
    public static INodeLowering? Find(string opType) => ByOpType.GetValueOrDefault(opType);
}
