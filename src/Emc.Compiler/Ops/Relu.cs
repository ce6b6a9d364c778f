using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>Relu (all opsets): y = max(x, 0).</summary>
internal sealed class Relu : Operator
{
    public override string OpType => "Relu";

    public override void Infer(InferenceContext context)
    {
        var x = context.Input(0);
        if (x is null || x.Type != DataType.Float32)
        {
            context.Error(IrDiagnostics.UnsupportedType, $"input must be float32, is {x?.Type.Name() ?? "absent"}");
            return;
        }

        context.SetOutput(0, DataType.Float32, x.Shape!);
    }

    public override void Evaluate(EvaluationContext context) =>
        TensorPrimitives.Max(context.Input<float>(0).Span, 0f, context.Output<float>(0).Span);
}
