using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Cast between numeric and bool types ('to'); float to integer truncates toward zero. Strings and
/// 8-bit/4-bit float formats are rejected. The opset 19+ saturate attribute only concerns float8 and is ignored.</summary>
internal sealed class Cast : Operator
{
    public override string OpType => "Cast";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "input") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        if (!context.HasAttribute("to"))
        {
            context.Invalid("attribute 'to' is required");
            return;
        }

        long to = context.GetInt("to", 0);
        var type = (DataType)to;
        if (to is < 1 or > 13 || !ElementBytes.IsNumeric(type))
        {
            context.UnsupportedAttribute("to", to.ToString(CultureInfo.InvariantCulture), "numeric and bool element types");
            return;
        }

        context.SetOutput(0, type, context.InputShape(0));
    }

    public override void Evaluate(EvaluationContext context) =>
        ScalarConvert.Convert(context.Input(0), context.Output(0));
}
