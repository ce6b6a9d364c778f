using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>N-ary elementwise Min / Max with broadcasting (opset 8+; older opsets need equal shapes, which
/// broadcasting covers). float32 takes the float path (NaN propagates); integers compare exactly.</summary>
internal abstract class ExtremumOperator : Operator
{
    protected abstract bool TakeMax { get; }

    public override void Infer(InferenceContext context)
    {
        if (context.InputCount == 0 || context.Node.Inputs.Any(v => v is null))
        {
            context.Invalid("at least one input and no omitted inputs are required");
            return;
        }

        var type = context.Input(0)!.Type;
        if (context.Node.Inputs.Any(v => v!.Type != type) || !(ScalarConvert.IsFloat(type) || OpArguments.IsInteger(type)))
        {
            context.Error(IrDiagnostics.UnsupportedType, "inputs must share one numeric type");
            return;
        }

        var shapes = context.Node.Inputs.Select(v => v!.Shape!).ToArray();
        var dims = BroadcastMap.Shape(shapes);
        if (dims is null)
        {
            context.Invalid($"shapes {string.Join(", ", shapes.Select(s => s.ToString()))} do not broadcast");
            return;
        }

        context.Node.Parameters = new BroadcastParameters(shapes.Select(s => BroadcastMap.Offsets(s, dims)).ToArray());
        context.SetOutput(0, type, new Ir.Shape(dims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var offsets = context.Parameters<BroadcastParameters>().Offsets;
        var output = context.Output(0);
        int n = (int)output.ElementCount;
        if (output is Tensor<float> f)
        {
            var y = f.Data;
            var first = context.Input<float>(0).Data;
            for (int i = 0; i < n; i++)
            {
                y[i] = first[offsets[0][i]];
            }

            for (int k = 1; k < context.InputCount; k++)
            {
                var x = context.Input<float>(k).Data;
                for (int i = 0; i < n; i++)
                {
                    float v = x[offsets[k][i]];
                    y[i] = float.IsNaN(y[i]) || float.IsNaN(v) ? float.NaN : TakeMax ? Math.Max(y[i], v) : Math.Min(y[i], v);
                }
            }

            return;
        }

        bool isFloat = ScalarConvert.IsFloat(output.Type);
        var resultD = new double[n];
        var resultL = new long[n];
        for (int k = 0; k < context.InputCount; k++)
        {
            var input = context.Input(k);
            if (isFloat)
            {
                var x = ScalarConvert.ToDoubles(input);
                for (int i = 0; i < n; i++)
                {
                    double v = x[offsets[k][i]];
                    resultD[i] = k == 0 ? v : TakeMax ? Math.Max(resultD[i], v) : Math.Min(resultD[i], v);
                }
            }
            else
            {
                var x = input.ToInt64Array();
                for (int i = 0; i < n; i++)
                {
                    long v = x[offsets[k][i]];
                    resultL[i] = k == 0 ? v : TakeMax ? Math.Max(resultL[i], v) : Math.Min(resultL[i], v);
                }
            }
        }

        if (isFloat)
        {
            ScalarConvert.WriteDoubles(resultD, output);
        }
        else
        {
            ScalarConvert.WriteInt64(resultL, output);
        }
    }
}

/// <summary>Min: elementwise minimum of the inputs.</summary>
internal sealed class Min : ExtremumOperator
{
    public override string OpType => "Min";

    protected override bool TakeMax => false;
}

/// <summary>Max: elementwise maximum of the inputs.</summary>
internal sealed class Max : ExtremumOperator
{
    public override string OpType => "Max";

    protected override bool TakeMax => true;
}
