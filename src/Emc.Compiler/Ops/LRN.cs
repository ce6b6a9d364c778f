using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>LRN (all opsets), float32 [N, C, …]: normalisation over a window of `size` channels.</summary>
internal sealed class LRN : Operator
{
    public override string OpType => "LRN";

    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "X");
        if (x is null)
        {
            return;
        }

        if (x.Rank < 2)
        {
            context.Error(IrDiagnostics.UnsupportedShape, $"input {x} needs a channel axis");
            return;
        }

        long size = context.GetInt("size", 0);
        if (size < 1 || size > int.MaxValue)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"attribute 'size' must be a positive integer, is {size}"));
            return;
        }

        context.Node.Parameters = new LrnParameters((int)size, context.GetFloat("alpha", 1e-4f), context.GetFloat("beta", 0.75f),
            context.GetFloat("bias", 1f));
        context.SetOutput(0, DataType.Float32, x);
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<LrnParameters>();
        var x = context.Input<float>(0);
        int batch = x.Shape[0], channels = x.Shape[1];
        int plane = batch * channels == 0 ? 0 : (int)(x.ElementCount / ((long)batch * channels));
        Evaluation.Kernels.Lrn.Run(x.Span, context.Output<float>(0).Span, batch, channels, plane, p.Size, p.Alpha, p.Beta, p.Bias);
    }
}

/// <summary>LRN attributes.</summary>
internal sealed record LrnParameters(int Size, float Alpha, float Beta, float Bias);
