using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Parameters of a Split node: the axis and each output's length along it.</summary>
internal sealed record SplitParameters(int Axis, int[] Lengths);

/// <summary>Split along an axis: 'split' attribute before opset 13, constant input from 13, num_outputs from 18;
/// equal parts otherwise (the last one smaller when uneven, opset 18).</summary>
internal sealed class Split : Operator
{
    public override string OpType => "Split";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "input") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        var input = context.InputShape(0);
        var axis = OpArguments.NormalizeAxis(context, context.GetInt("axis", 0), input.Rank);
        if (axis is null)
        {
            return;
        }

        var split = OpArguments.IntsAttributeOrInput(context, "split", 1, 13, out bool present);
        if (split is null)
        {
            return;
        }

        int outputs = context.Node.Outputs.Count;
        int length = input[axis.Value];
        int[] lengths;
        if (present && split.Length > 0)
        {
            if (split.Length != outputs || split.Any(s => s < 0) || split.Sum() != length)
            {
                context.Invalid(string.Create(CultureInfo.InvariantCulture, $"split [{string.Join(",", split)}] must have {outputs} non-negative values summing to {length}"));
                return;
            }

            lengths = split.Select(s => (int)s).ToArray();
        }
        else
        {
            if (context.Opset >= 18 && context.HasAttribute("num_outputs") && context.GetInt("num_outputs", 0) != outputs)
            {
                context.Invalid($"num_outputs = {context.GetInt("num_outputs", 0)} but the node has {outputs} outputs");
                return;
            }

            int part = (length + outputs - 1) / outputs;
            if (context.Opset < 18 && length % outputs != 0)
            {
                context.Invalid(string.Create(CultureInfo.InvariantCulture, $"axis length {length} does not split evenly into {outputs} outputs"));
                return;
            }

            lengths = Enumerable.Range(0, outputs).Select(i => Math.Max(0, Math.Min(part, length - (i * part)))).ToArray();
        }

        context.Node.Parameters = new SplitParameters(axis.Value, lengths);
        for (int i = 0; i < outputs; i++)
        {
            var dims = input.ToArray();
            dims[axis.Value] = lengths[i];
            context.SetOutput(i, context.Input(0)!.Type, new Ir.Shape(dims));
        }
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<SplitParameters>();
        var input = context.Input(0);
        var source = ElementBytes.Of(input);
        int size = ElementBytes.Size(input.Type);
        long outer = 1, inner = size;
        for (int a = 0; a < p.Axis; a++)
        {
            outer *= input.Shape[a];
        }

        for (int a = p.Axis + 1; a < input.Shape.Rank; a++)
        {
            inner *= input.Shape[a];
        }

        long row = input.Shape[p.Axis] * inner;
        long column = 0;
        for (int k = 0; k < p.Lengths.Length; k++)
        {
            var destination = ElementBytes.Of(context.Output(k));
            int block = (int)(p.Lengths[k] * inner);
            for (long o = 0; o < outer; o++)
            {
                source.Slice((int)((o * row) + column), block).CopyTo(destination.Slice((int)(o * block), block));
            }

            column += block;
        }
    }
}
