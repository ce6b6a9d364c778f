using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>GlobalAveragePool / GlobalMaxPool: every spatial dimension (rank ≥ 3) reduced to 1.</summary>
internal abstract class GlobalPoolBase : Operator
{
    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "X");
        if (x is null)
        {
            return;
        }

        if (x.Rank < 3 || x.ElementCount == 0)
        {
            context.Error(IrDiagnostics.UnsupportedShape, $"input {x} must be [N, C, spatial…] with at least one spatial dimension");
            return;
        }

        var dims = x.ToArray();
        for (int i = 2; i < dims.Length; i++)
        {
            dims[i] = 1;
        }

        context.SetOutput(0, DataType.Float32, new Shape(dims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var x = context.Input<float>(0);
        var y = context.Output<float>(0).Span;
        Reduce(x.Span, (int)(x.ElementCount / y.Length), y);
    }

    protected abstract void Reduce(ReadOnlySpan<float> x, int plane, Span<float> y);
}
