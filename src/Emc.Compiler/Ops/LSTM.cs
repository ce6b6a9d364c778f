using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>
/// LSTM (opsets 1, 7, 14), float32, layout 0 (X [seq, batch, input]): forward, reverse or bidirectional, with optional
/// bias, sequence_lens, initial_h/initial_c, peepholes, clip and input_forget; gate activations Sigmoid, Tanh or Relu
/// (the defaults are Sigmoid, Tanh, Tanh). Outputs Y [seq, directions, batch, hidden], Y_h and Y_c [directions, batch,
/// hidden]; all three are computed even when the graph omits them.
/// </summary>
internal sealed class LSTM : Operator
{
    public override string OpType => "LSTM";

    public override void Infer(InferenceContext context)
    {
        if (RecurrentArguments.Parse(context, 4, ["Sigmoid", "Tanh", "Tanh"]) is not { } a)
        {
            return;
        }

        int d = a.Directions, h = a.Hidden;
        if (!RecurrentArguments.OptionalInput(context, 3, "B", [d, 8 * h]) || !RecurrentArguments.OptionalInput(context, 5, "initial_h", [d, a.Batch, h])
            || !RecurrentArguments.OptionalInput(context, 6, "initial_c", [d, a.Batch, h]) || !RecurrentArguments.OptionalInput(context, 7, "P", [d, 3 * h]))
        {
            return;
        }

        context.Node.Parameters = new LstmParameters(a, context.GetInt("input_forget", 0) != 0);
        a.SetOutputs(context, 2);
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<LstmParameters>();
        int state = p.Shape.Directions * p.Shape.Batch * p.Shape.Hidden;
        var hLast = context.Node.Outputs.Count > 1 ? context.Output<float>(1).Span : new float[state];
        var cLast = context.Node.Outputs.Count > 2 ? context.Output<float>(2).Span : new float[state];
        LstmKernel.Run(p, context.Input<float>(0).Span, context.Input<float>(1).Span, context.Input<float>(2).Span,
            Optional(context, 3), context.HasInput(4) ? context.Input<int>(4).Span : default, Optional(context, 5), Optional(context, 6),
            Optional(context, 7), context.Output<float>(0).Span, hLast, cLast);
    }

    internal static ReadOnlySpan<float> Optional(EvaluationContext context, int index) =>
        context.HasInput(index) ? context.Input<float>(index).Span : default;
}

/// <summary>A resolved LSTM node (<see cref="LstmKernel"/> documents the arithmetic).</summary>
internal sealed record LstmParameters(RecurrentArguments Shape, bool InputForget);
