using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Reshape: target shape as attribute (opset &lt; 5) or constant input (5+); 0 copies the input
/// dimension (unless allowzero, opset 14+), -1 is inferred.</summary>
internal sealed class Reshape : Operator
{
    public override string OpType => "Reshape";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "data") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        long[]? target = context.Opset < 5 ? context.GetInts("shape") ?? [] : OpArguments.Require(context, 1, "shape") ? OpArguments.ConstantInts(context, 1, "shape") : null;
        if (target is null)
        {
            return;
        }

        bool allowZero = context.Opset >= 14 && context.GetInt("allowzero", 0) != 0;
        var shape = Resolve(context, context.InputShape(0), target, allowZero);
        if (shape is not null)
        {
            context.SetOutput(0, context.Input(0)!.Type, shape);
        }
    }

    public override void Evaluate(EvaluationContext context) =>
        ElementBytes.Of(context.Input(0)).CopyTo(ElementBytes.Of(context.Output(0)));

    /// <summary>The output shape for a target with 0/-1 entries, or null after reporting.</summary>
    internal static Ir.Shape? Resolve(InferenceContext context, Ir.Shape input, long[] target, bool allowZero)
    {
        var dims = new long[target.Length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            long d = target[i];
            if (d == 0 && !allowZero)
            {
                if (i >= input.Rank)
                {
                    context.Invalid(string.Create(CultureInfo.InvariantCulture, $"shape[{i}] = 0 copies a dimension the rank-{input.Rank} input does not have"));
                    return null;
                }

                d = input[i];
            }

            if (d == -1)
            {
                if (inferred >= 0 || allowZero && target.Contains(0))
                {
                    context.Invalid($"shape [{string.Join(",", target)}] cannot be resolved (more than one -1, or -1 with allowzero and 0)");
                    return null;
                }

                inferred = i;
                continue;
            }

            if (d < -1 || d > int.MaxValue)
            {
                context.Invalid(string.Create(CultureInfo.InvariantCulture, $"shape[{i}] = {target[i]} is invalid"));
                return null;
            }

            dims[i] = d;
            known = OpArguments.Product([known, d]);
        }

        long count = input.ElementCount;
        if (inferred >= 0)
        {
            if (known == 0 || count % known != 0)
            {
                context.Invalid($"cannot reshape {input} into [{string.Join(",", target)}]");
                return null;
            }

            dims[inferred] = count / known;
        }
        else if (known != count)
        {
            context.Invalid($"cannot reshape {input} ({count} elements) into [{string.Join(",", target)}] ({known} elements)");
            return null;
        }

        return new Ir.Shape(dims.Select(d => (int)d).ToArray());
    }
}
