using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Pow (opset 7+): float32 base, float32 exponent, numpy broadcasting; y = powf(x, e) (the C library's, as .NET's MathF.Pow).</summary>
internal sealed class Pow : Operator
{
    public override string OpType => "Pow";

    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "X");
        var e = OpChecks.FloatInput(context, 1, "Y");
        if (x is null || e is null)
        {
            return;
        }

        var y = Broadcasting.BroadcastShape(x.ToArray(), e.ToArray());
        if (y is null)
        {
            context.Invalid($"shapes {x} and {e} do not broadcast");
            return;
        }

        context.Node.Parameters = new PowParameters(x.ToArray(), e.ToArray(), y);
        context.SetOutput(0, DataType.Float32, new Shape(y));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<PowParameters>();
        var x = context.Input<float>(0).Span;
        var e = context.Input<float>(1).Span;
        var y = context.Output<float>(0).Span;
        long[] xs = BroadcastStrides(p.XShape, p.YShape.Length), es = BroadcastStrides(p.EShape, p.YShape.Length);
        var index = new int[p.YShape.Length];
        for (int o = 0; o < y.Length; o++)
        {
            long xi = 0, ei = 0;
            for (int d = 0; d < index.Length; d++)
            {
                xi += index[d] * xs[d];
                ei += index[d] * es[d];
            }

            y[o] = MathF.Pow(x[(int)xi], e[(int)ei]);
            for (int d = index.Length - 1; d >= 0 && ++index[d] == p.YShape[d]; d--)
            {
                index[d] = 0;
            }
        }
    }

    private static long[] BroadcastStrides(int[] shape, int rank)
    {
        var strides = new long[rank];
        long stride = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            int s = d - (rank - shape.Length);
            strides[d] = s < 0 || shape[s] == 1 ? 0 : stride;
            stride *= s < 0 ? 1 : shape[s];
        }

        return strides;
    }
}

internal sealed record PowParameters(int[] XShape, int[] EShape, int[] YShape);
