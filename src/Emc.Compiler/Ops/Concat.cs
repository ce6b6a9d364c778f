using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Parameters of a Concat node: the normalised axis.</summary>
internal sealed record ConcatParameters(int Axis);

/// <summary>Concat along an axis (required attribute; negative from opset 11); any rank, same types.</summary>
internal sealed class Concat : Operator
{
    public override string OpType => "Concat";

    public override void Infer(InferenceContext context)
    {
        if (context.InputCount == 0 || context.Node.Inputs.Any(v => v is null))
        {
            context.Invalid("Concat needs at least one input and no omitted inputs");
            return;
        }

        if (!context.HasAttribute("axis"))
        {
            context.Invalid("attribute 'axis' is required");
            return;
        }

        if (!OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        var first = context.InputShape(0);
        var type = context.Input(0)!.Type;
        var axis = OpArguments.NormalizeAxis(context, context.GetInt("axis", 0), first.Rank);
        if (axis is null)
        {
            return;
        }

        var dims = first.ToArray();
        long total = 0;
        for (int k = 0; k < context.InputCount; k++)
        {
            var shape = context.InputShape(k);
            if (context.Input(k)!.Type != type || shape.Rank != first.Rank)
            {
                context.Invalid(string.Create(CultureInfo.InvariantCulture, $"input {k} ({context.Input(k)}) does not match the type and rank of input 0 ({context.Input(0)})"));
                return;
            }

            for (int i = 0; i < shape.Rank; i++)
            {
                if (i != axis && shape[i] != first[i])
                {
                    context.Invalid(string.Create(CultureInfo.InvariantCulture, $"input {k} has shape {shape}, which differs from {first} outside axis {axis}"));
                    return;
                }
            }

            total += shape[axis.Value];
        }

        if (total > int.MaxValue)
        {
            context.Error(IrDiagnostics.UnsupportedShape, "the concatenated axis is too long");
            return;
        }

        dims[axis.Value] = (int)total;
        context.Node.Parameters = new ConcatParameters(axis.Value);
        context.SetOutput(0, type, new Ir.Shape(dims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        int axis = context.Parameters<ConcatParameters>().Axis;
        var output = context.Output(0);
        var destination = ElementBytes.Of(output);
        long outer = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= output.Shape[i];
        }

        long outRow = outer == 0 ? 0 : destination.Length / outer;
        long column = 0;
        for (int k = 0; k < context.InputCount; k++)
        {
            var source = ElementBytes.Of(context.Input(k));
            long row = outer == 0 ? 0 : source.Length / outer;
            for (long o = 0; o < outer; o++)
            {
                source.Slice((int)(o * row), (int)row).CopyTo(destination.Slice((int)(o * outRow + column), (int)row));
            }

            column += row;
        }

    }
}
