using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Softmax and LogSoftmax. Opset &lt; 13: the input is coerced to 2-D at `axis` (default 1) and normalised
/// over the trailing block; opset ≥ 13: over the single axis `axis` (default −1).</summary>
internal abstract class SoftmaxBase : Operator
{
    protected abstract bool Log { get; }

    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "input");
        if (x is null)
        {
            return;
        }

        bool legacy = context.Opset < 13;
        long axisAttribute = context.GetInt("axis", legacy ? 1 : -1);
        long axis = axisAttribute < 0 ? axisAttribute + x.Rank : axisAttribute;
        if (axis < 0 || axis >= x.Rank)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"axis {axisAttribute} is out of range for rank {x.Rank}"));
            return;
        }

        long outer = 1, length = 1, inner = 1;
        var dims = x.Dims;
        for (int i = 0; i < dims.Length; i++)
        {
            if (i < axis)
            {
                outer *= dims[i];
            }
            else if (legacy || i == axis)
            {
                length *= dims[i];
            }
            else
            {
                inner *= dims[i];
            }
        }

        context.Node.Parameters = new SoftmaxParameters((int)outer, (int)length, (int)inner, Log);
        context.SetOutput(0, DataType.Float32, x);
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<SoftmaxParameters>();
        var scratch = context.Scratch<float>(0, Evaluation.Kernels.Softmax.ScratchLength(p.AxisLength, p.Inner));
        Evaluation.Kernels.Softmax.Run(context.Input<float>(0).Span, context.Output<float>(0).Span, p.Outer, p.AxisLength, p.Inner, p.Log, scratch);
    }
}

/// <summary>The input seen as [outer, axis, inner].</summary>
internal sealed record SoftmaxParameters(int Outer, int AxisLength, int Inner, bool Log);
