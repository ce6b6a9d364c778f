using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>An element-wise float32 operator y = f(x) with attributes parsed once into <see cref="Node.Parameters"/>.</summary>
internal abstract class UnaryFloatOperator : Operator
{
    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "X");
        if (x is null)
        {
            return;
        }

        var parameters = ParseAttributes(context);
        if (context.Failed)
        {
            return;
        }

        context.Node.Parameters = parameters;
        context.SetOutput(0, DataType.Float32, x);
    }

    public override void Evaluate(EvaluationContext context) =>
        Compute(context.Input<float>(0).Span, context.Output<float>(0).Span, context.Node.Parameters);

    /// <summary>Reads the operator's attributes (null when it has none).</summary>
    protected virtual object? ParseAttributes(InferenceContext context) => null;

    /// <summary>Computes y = f(x); <paramref name="y"/> may be <paramref name="x"/>.</summary>
    protected abstract void Compute(ReadOnlySpan<float> x, Span<float> y, object? parameters);
}

/// <summary>Float attributes of an activation (alpha, beta, gamma/bias… in the order the operator defines).</summary>
internal sealed record ActivationParameters(float Alpha, float Beta);
