using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>AveragePool, 2-D float32 (opsets 1–22): count_include_pad (opset ≥ 7), ceil_mode (≥ 10), dilations (≥ 19).</summary>
internal sealed class AveragePool : PoolBase
{
    public override string OpType => "AveragePool";

    public override void Infer(InferenceContext context)
    {
        var geometry = ResolveWindow(context, allowDilations: context.Opset >= 19);
        if (geometry is not null)
        {
            context.Node.Parameters = new PoolParameters(geometry.Value, context.GetInt("count_include_pad", 0) != 0);
        }
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<PoolParameters>();
        Pooling.Average(p.Geometry, p.CountIncludePad, context.Input<float>(0).Span, context.Output<float>(0).Span);
    }
}
