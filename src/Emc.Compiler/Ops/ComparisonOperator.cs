using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Elementwise comparison with broadcasting, output bool: Equal, Less, Greater (numeric and bool inputs).
/// Integers compare exactly (as int64), floats as double.</summary>
internal abstract class ComparisonOperator : Operator
{
    protected abstract bool Compare(int order);

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "A") || !OpArguments.Require(context, 1, "B") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        if (context.Input(0)!.Type != context.Input(1)!.Type)
        {
            context.Invalid($"A and B must have one type (are {context.Input(0)!.Type.Name()} and {context.Input(1)!.Type.Name()})");
            return;
        }

        var shapes = new[] { context.InputShape(0), context.InputShape(1) };
        var dims = BroadcastMap.Shape(shapes);
        if (dims is null)
        {
            context.Invalid($"shapes {shapes[0]} and {shapes[1]} do not broadcast");
            return;
        }

        context.Node.Parameters = new BroadcastParameters(shapes.Select(s => BroadcastMap.Offsets(s, dims)).ToArray());
        context.SetOutput(0, DataType.Bool, new Ir.Shape(dims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var offsets = context.Parameters<BroadcastParameters>().Offsets;
        var output = context.Output<bool>(0).Data;
        var a = context.Input(0);
        var b = context.Input(1);
        if (ScalarConvert.IsFloat(a.Type))
        {
            double[] x = ScalarConvert.ToDoubles(a), y = ScalarConvert.ToDoubles(b);
            for (int i = 0; i < output.Length; i++)
            {
                double u = x[offsets[0][i]], v = y[offsets[1][i]];
                // NaN compares false for every relation.
                output[i] = !double.IsNaN(u) && !double.IsNaN(v) && Compare(u.CompareTo(v));
            }
        }
        else
        {
            long[] x = a.ToInt64Array(), y = b.ToInt64Array();
            for (int i = 0; i < output.Length; i++)
            {
                output[i] = Compare(x[offsets[0][i]].CompareTo(y[offsets[1][i]]));
            }
        }
    }
}

/// <summary>Equal (all opsets): A == B.</summary>
internal sealed class Equal : ComparisonOperator
{
    public override string OpType => "Equal";

    protected override bool Compare(int order) => order == 0;
}

/// <summary>Less (all opsets): A &lt; B.</summary>
internal sealed class Less : ComparisonOperator
{
    public override string OpType => "Less";

    protected override bool Compare(int order) => order < 0;
}

/// <summary>Greater (all opsets): A &gt; B.</summary>
internal sealed class Greater : ComparisonOperator
{
    public override string OpType => "Greater";

    protected override bool Compare(int order) => order > 0;
}
