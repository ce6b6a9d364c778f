using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>ArgMax (opsets 1–13): index of the largest value along `axis` (default 0), the first one unless
/// select_last_index; keepdims (default 1) keeps the axis as 1. int64 output.</summary>
internal sealed class ArgMax : Operator
{
    public override string OpType => "ArgMax";

    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "data");
        if (x is null)
        {
            return;
        }

        var axis = OpArguments.NormalizeAxis(context, context.GetInt("axis", 0), x.Rank);
        if (axis is null)
        {
            return;
        }

        int outer = 1, inner = 1;
        for (int d = 0; d < x.Rank; d++)
        {
            outer *= d < axis ? x[d] : 1;
            inner *= d > axis ? x[d] : 1;
        }

        bool keep = context.GetInt("keepdims", 1) != 0;
        var dims = x.Select((d, i) => i == axis ? 1 : d).Where((_, i) => keep || i != axis);
        context.Node.Parameters = new ArgMaxParameters(outer, x[axis.Value], inner, context.GetInt("select_last_index", 0) != 0);
        context.SetOutput(0, DataType.Int64, new Shape(dims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<ArgMaxParameters>();
        var x = context.Input<float>(0).Span;
        var y = context.Output<long>(0).Span;
        for (int o = 0; o < p.Outer; o++)
        {
            for (int i = 0; i < p.Inner; i++)
            {
                int start = (o * p.AxisLength * p.Inner) + i, best = 0;
                for (int k = 1; k < p.AxisLength; k++)
                {
                    float v = x[start + (k * p.Inner)], b = x[start + (best * p.Inner)];
                    best = v > b || (p.SelectLast && v == b) ? k : best;
                }

                y[(o * p.Inner) + i] = best;
            }
        }
    }
}

/// <summary>The input seen as [outer, axis, inner].</summary>
internal sealed record ArgMaxParameters(int Outer, int AxisLength, int Inner, bool SelectLast);
