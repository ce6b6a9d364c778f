using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>
/// GRU (opsets 1, 3, 7, 14), float32, layout 0: forward, reverse or bidirectional, with optional bias, sequence_lens,
/// initial_h, clip and linear_before_reset; activations Sigmoid, Tanh or Relu (defaults Sigmoid, Tanh). Outputs Y
/// [seq, directions, batch, hidden] and Y_h [directions, batch, hidden].
/// </summary>
internal sealed class GRU : Operator
{
    public override string OpType => "GRU";

    public override void Infer(InferenceContext context)
    {
        if (RecurrentArguments.Parse(context, 3, ["Sigmoid", "Tanh"]) is not { } a)
        {
            return;
        }

        if (!RecurrentArguments.OptionalInput(context, 3, "B", [a.Directions, 6 * a.Hidden])
            || !RecurrentArguments.OptionalInput(context, 5, "initial_h", [a.Directions, a.Batch, a.Hidden]))
        {
            return;
        }

        context.Node.Parameters = new GruParameters(a, context.GetInt("linear_before_reset", 0) != 0);
        a.SetOutputs(context, 1);
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<GruParameters>();
        var hLast = context.Node.Outputs.Count > 1 ? context.Output<float>(1).Span : new float[p.Shape.Directions * p.Shape.Batch * p.Shape.Hidden];
        GruKernel.Run(p, context.Input<float>(0).Span, context.Input<float>(1).Span, context.Input<float>(2).Span, LSTM.Optional(context, 3),
            context.HasInput(4) ? context.Input<int>(4).Span : default, LSTM.Optional(context, 5), context.Output<float>(0).Span, hLast);
    }
}

/// <summary>A resolved GRU node (<see cref="GruKernel"/> documents the arithmetic).</summary>
internal sealed record GruParameters(RecurrentArguments Shape, bool LinearBeforeReset);
