using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>
/// Dropout in inference mode (all opsets): the output is the input and the optional mask is all true. A
/// training_mode input that is true (opset 12+) is rejected; the opset 6 is_test attribute is ignored because
/// a compiled model only ever runs inference.
/// </summary>
internal sealed class Dropout : Operator
{
    public override string OpType => "Dropout";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "data") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        if (context.Opset >= 12 && context.HasInput(2))
        {
            var mode = context.ConstantInput(2, "training_mode");
            if (mode is null)
            {
                return;
            }

            if (mode.ElementCount != 1 || mode.ToInt64Array()[0] != 0)
            {
                context.UnsupportedAttribute("training_mode", "true", "false (inference)");
                return;
            }
        }

        var x = context.Input(0)!;
        context.SetOutput(0, x.Type, x.Shape!);
        if (context.Node.Outputs.Count > 1)
        {
            context.SetOutput(1, context.Opset >= 10 ? DataType.Bool : x.Type, x.Shape!);
        }
    }

    public override void Evaluate(EvaluationContext context)
    {
        ElementBytes.Of(context.Input(0)).CopyTo(ElementBytes.Of(context.Output(0)));
        if (context.Node.Outputs.Count > 1)
        {
            var mask = context.Output(1);
            switch (mask)
            {
                case Tensor<bool> b:
                    b.Span.Fill(true);
                    break;
                case Tensor<float> f:
                    f.Span.Fill(1f);
                    break;
                default:
                    ScalarConvert.Fill(mask, 1);
                    break;
            }
        }
    }
}
