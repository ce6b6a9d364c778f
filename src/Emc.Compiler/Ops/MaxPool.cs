using System.Globalization;
using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>MaxPool, 2-D float32 (opsets 1–22): the Indices output and storage_order are not supported.</summary>
internal sealed class MaxPool : PoolBase
{
    public override string OpType => "MaxPool";

    public override void Infer(InferenceContext context)
    {
        if (!OpChecks.RequireOutputs(context, 1, "the Indices output is not supported"))
        {
            return;
        }

        long storageOrder = context.GetInt("storage_order", 0);
        if (storageOrder is not (0 or 1))
        {
            context.UnsupportedAttribute("storage_order", storageOrder.ToString(CultureInfo.InvariantCulture), "0 or 1");
            return;
        }

        var geometry = ResolveWindow(context, allowDilations: true);
        if (geometry is not null)
        {
            context.Node.Parameters = new PoolParameters(geometry.Value, false);
        }
    }

    public override void Evaluate(EvaluationContext context) =>
        Pooling.Max(context.Parameters<PoolParameters>().Geometry, context.Input<float>(0).Span, context.Output<float>(0).Span);
}
