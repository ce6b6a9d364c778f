using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Range (opset 11+): start, start+delta, … below limit; scalar constant inputs of one numeric type.</summary>
internal sealed class Range : Operator
{
    public override string OpType => "Range";

    public override void Infer(InferenceContext context)
    {
        var parts = new Tensor?[3];
        string[] roles = ["start", "limit", "delta"];
        for (int i = 0; i < 3; i++)
        {
            if (!OpArguments.Require(context, i, roles[i]))
            {
                return;
            }

            parts[i] = context.ConstantInput(i, roles[i]);
            if (parts[i] is null)
            {
                return;
            }
        }

        var type = parts[0]!.Type;
        if (parts.Any(p => p!.Type != type || p.ElementCount != 1) || !(ScalarConvert.IsFloat(type) || OpArguments.IsInteger(type)))
        {
            context.Invalid("start, limit and delta must be scalars of one numeric type");
            return;
        }

        double start = ScalarConvert.ToDoubles(parts[0]!)[0];
        double limit = ScalarConvert.ToDoubles(parts[1]!)[0];
        double delta = ScalarConvert.ToDoubles(parts[2]!)[0];
        double count = Math.Max(Math.Ceiling((limit - start) / delta), 0);
        if (delta == 0 || double.IsNaN(count) || count > int.MaxValue)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"range({start}, {limit}, {delta}) is invalid or too long"));
            return;
        }

        context.SetOutput(0, type, new Ir.Shape((int)count));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var output = context.Output(0);
        int n = (int)output.ElementCount;
        if (ScalarConvert.IsFloat(output.Type))
        {
            double start = ScalarConvert.ToDoubles(context.Input(0))[0];
            double delta = ScalarConvert.ToDoubles(context.Input(2))[0];
            var values = new double[n];
            for (int i = 0; i < n; i++)
            {
                values[i] = start + (i * delta);
            }

            ScalarConvert.WriteDoubles(values, output);
        }
        else
        {
            long start = context.Input(0).ToInt64Array()[0];
            long delta = context.Input(2).ToInt64Array()[0];
            var values = new long[n];
            for (int i = 0; i < n; i++)
            {
                values[i] = start + (i * delta);
            }

            ScalarConvert.WriteInt64(values, output);
        }
    }
}
