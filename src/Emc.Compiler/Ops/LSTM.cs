using System.Globalization;
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
    private static readonly string[] s_defaultActivations = ["Sigmoid", "Tanh", "Tanh"];

    public override string OpType => "LSTM";

    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "X");
        var w = OpChecks.FloatInput(context, 1, "W");
        var r = OpChecks.FloatInput(context, 2, "R");
        if (x is null || w is null || r is null)
        {
            return;
        }

        if (context.GetInt("layout", 0) != 0)
        {
            context.UnsupportedAttribute("layout", context.GetInt("layout", 0).ToString(CultureInfo.InvariantCulture), "0, sequence first");
            return;
        }

        string direction = context.GetString("direction", "forward");
        int directions = direction switch { "forward" or "reverse" => 1, "bidirectional" => 2, _ => 0 };
        if (directions == 0)
        {
            context.Invalid($"direction '{direction}' is not forward, reverse or bidirectional");
            return;
        }

        if (x.Rank != 3 || w.Rank != 3 || r.Rank != 3)
        {
            context.Invalid($"X {x}, W {w} and R {r} must be 3-D");
            return;
        }

        int seq = x[0], batch = x[1], inputSize = x[2];
        int hidden = (int)context.GetInt("hidden_size", r[2]);
        if (w[0] != directions || w[1] != 4 * hidden || w[2] != inputSize || r[0] != directions || r[1] != 4 * hidden || r[2] != hidden)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"W {w} and R {r} must be [{directions},{4 * hidden},{inputSize}] and [{directions},{4 * hidden},{hidden}] for X {x}, hidden_size {hidden}, direction {direction}"));
            return;
        }

        if (!Optional(context, 3, "B", [directions, 8 * hidden]) || !Optional(context, 5, "initial_h", [directions, batch, hidden])
            || !Optional(context, 6, "initial_c", [directions, batch, hidden]) || !Optional(context, 7, "P", [directions, 3 * hidden]))
        {
            return;
        }

        if (context.Input(4) is { } lens && (lens.Type != DataType.Int32 || lens.Shape is not { Rank: 1 } ls || ls[0] != batch))
        {
            context.Invalid($"sequence_lens must be int32 [{batch}], is {lens}");
            return;
        }

        var activations = context.GetStrings("activations") ?? [.. Enumerable.Range(0, directions).SelectMany(_ => s_defaultActivations)];
        if (activations.Length != 3 * directions || activations.Any(a => !LstmKernel.Activations.Contains(a)))
        {
            context.UnsupportedAttribute("activations", "[" + string.Join(",", activations) + "]",
                $"{3 * directions} of {string.Join(", ", LstmKernel.Activations)} (f, g, h per direction)");
            return;
        }

        if (context.HasAttribute("activation_alpha") || context.HasAttribute("activation_beta"))
        {
            context.UnsupportedAttribute("activation_alpha/activation_beta", "set", "none (the supported activations take no parameters)");
            return;
        }

        float clip = context.GetFloat("clip", float.PositiveInfinity);
        if (!(clip > 0))
        {
            context.Invalid($"clip {clip.ToString(CultureInfo.InvariantCulture)} must be positive");
            return;
        }

        context.Node.Parameters = new LstmParameters(seq, batch, inputSize, hidden, directions, direction == "reverse", activations, clip,
            context.GetInt("input_forget", 0) != 0);
        var state = new Shape(directions, batch, hidden);
        context.SetOutput(0, DataType.Float32, new Shape(seq, directions, batch, hidden));
        for (int i = 1; i < Math.Min(3, context.Node.Outputs.Count); i++)
        {
            context.SetOutput(i, DataType.Float32, state);
        }
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<LstmParameters>();
        int state = p.Directions * p.Batch * p.Hidden;
        var hLast = context.Node.Outputs.Count > 1 ? context.Output<float>(1).Span : new float[state];
        var cLast = context.Node.Outputs.Count > 2 ? context.Output<float>(2).Span : new float[state];
        LstmKernel.Run(p, context.Input<float>(0).Span, context.Input<float>(1).Span, context.Input<float>(2).Span,
            Optional(context, 3), context.HasInput(4) ? context.Input<int>(4).Span : default, Optional(context, 5), Optional(context, 6),
            Optional(context, 7), context.Output<float>(0).Span, hLast, cLast);
    }

    private static ReadOnlySpan<float> Optional(EvaluationContext context, int index) =>
        context.HasInput(index) ? context.Input<float>(index).Span : default;

    private static bool Optional(InferenceContext context, int index, string role, int[] dims)
    {
        if (!context.HasInput(index))
        {
            return true;
        }

        var shape = OpChecks.FloatInput(context, index, role);
        if (shape is null)
        {
            return false;
        }

        if (!shape.Equals(new Shape(dims)))
        {
            context.Invalid($"{role} is {shape}, must be [{string.Join(",", dims)}]");
            return false;
        }

        return true;
    }
}

/// <summary>A resolved LSTM node (<see cref="LstmKernel"/> documents the arithmetic).</summary>
internal sealed record LstmParameters(int SeqLength, int Batch, int InputSize, int Hidden, int Directions, bool Reverse,
    string[] Activations, float Clip, bool InputForget)
{
    /// <summary>Whether direction <paramref name="d"/> runs from the last step to the first.</summary>
    public bool Backward(int d) => Reverse || d == 1;
}
