namespace Emc.Compiler.K210.Lowering.Steps;

/// <summary>
/// Folds a graph input's layout change (tf2onnx/Keras NHWC inputs: a Transpose (0,3,1,2), or a Reshape that only
/// relabels when C = 1; mtcnn's NWHC: Transpose (0,3,2,1)) into the device input: the device keeps delivering the
/// planar CHW image, the node is consumed and the device input stands for its output. Input normalization is then
/// folded from there.
/// </summary>
internal sealed class FoldInputLayout : ILoweringStep
{
    public static readonly FoldInputLayout Instance = new();

    public string Name => "fold-input-layout";

    public string Summary => "a Transpose/Reshape that permutes or relabels an NHWC (NWHC) graph input to [1,C,H,W] → the planar device input";

    public bool Run(LoweringContext ctx)
    {
        var input = ctx.Graph.Inputs[0];
        if (InputLayout.Folding(ctx.Graph, input) is not var (layout, node))
        {
            ctx.Model.InputLayout = InputLayout.Planar(input.Shape!);
            return true;
        }

        ctx.Consume(node);
        ctx.Model.InputLayout = layout;
        ctx.DeviceInputValue = node.Outputs[0];
        return true;
    }
}
