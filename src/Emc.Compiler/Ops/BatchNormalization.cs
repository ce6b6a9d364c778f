using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>BatchNormalization in inference mode (all opsets): y = (x − mean)/√(var + ε)·scale + B over axis 1.
/// Training (training_mode = 1, is_test = 0, extra outputs) and spatial = 0 are not supported.</summary>
internal sealed class BatchNormalization : Operator
{
    public override string OpType => "BatchNormalization";

    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "X");
        if (x is null)
        {
            return;
        }

        if (x.Rank < 2)
        {
            context.Error(IrDiagnostics.UnsupportedShape, $"input {x} needs a channel axis (rank ≥ 2)");
            return;
        }

        if (context.GetInt("training_mode", 0) != 0)
        {
            context.UnsupportedAttribute("training_mode", context.GetInt("training_mode", 0).ToString(System.Globalization.CultureInfo.InvariantCulture), "0 (inference)");
            return;
        }

        if (context.Opset < 7 && context.HasAttribute("is_test") && context.GetInt("is_test", 0) == 0)
        {
            context.UnsupportedAttribute("is_test", "0", "1 (inference)");
            return;
        }

        if (context.Opset < 9 && context.GetInt("spatial", 1) != 1)
        {
            context.UnsupportedAttribute("spatial", context.GetInt("spatial", 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "1");
            return;
        }

        if (!OpChecks.RequireOutputs(context, 1, "only the inference output Y is supported (training outputs mean/var are not)"))
        {
            return;
        }

        string[] roles = ["scale", "B", "input_mean", "input_var"];
        for (int i = 0; i < roles.Length; i++)
        {
            var s = OpChecks.FloatInput(context, i + 1, roles[i]);
            if (s is null)
            {
                return;
            }

            if (s.ElementCount != x[1] || s.Rank != 1)
            {
                context.Invalid($"{roles[i]} {s} must be [{x[1]}]");
                return;
            }
        }

        context.Node.Parameters = new BatchNormParameters(context.GetFloat("epsilon", 1e-5f));
        context.SetOutput(0, DataType.Float32, x);
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input<float>(0);
        int channels = x.Shape[1];
        int plane = (int)(x.ElementCount / ((long)x.Shape[0] * channels));
        var folded = context.Scratch<float>(0, 2 * channels);
        var multiplier = folded[..channels];
        var offset = folded[channels..];
        BatchNorm.Fold(context.Input<float>(1).Span, context.Input<float>(2).Span, context.Input<float>(3).Span,
            context.Input<float>(4).Span, context.Parameters<BatchNormParameters>().Epsilon, multiplier, offset);
        BatchNorm.Apply(x.Span, context.Output<float>(0).Span, x.Shape[0], channels, plane, multiplier, offset);
    }
}

/// <summary>BatchNormalization attributes.</summary>
internal sealed record BatchNormParameters(float Epsilon);
