using System.Globalization;
using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops.Support;

/// <summary>What LSTM and GRU share: X [seq, batch, input] (layout 0), W [directions, gates·hidden, input], R [directions,
/// gates·hidden, hidden], the direction, activations (<paramref name="perDirection"/> of Sigmoid, Tanh, Relu per direction)
/// and clip.</summary>
internal sealed record RecurrentArguments(int SeqLength, int Batch, int InputSize, int Hidden, int Directions, bool Reverse, string[] Activations, float Clip)
{
    public static RecurrentArguments? Parse(InferenceContext context, int gates, string[] defaultActivations)
    {
        var x = OpChecks.FloatInput(context, 0, "X");
        var w = OpChecks.FloatInput(context, 1, "W");
        var r = OpChecks.FloatInput(context, 2, "R");
        if (x is null || w is null || r is null)
        {
            return null;
        }

        if (context.GetInt("layout", 0) != 0)
        {
            context.UnsupportedAttribute("layout", context.GetInt("layout", 0).ToString(CultureInfo.InvariantCulture), "0, sequence first");
            return null;
        }

        string direction = context.GetString("direction", "forward");
        int directions = direction switch { "forward" or "reverse" => 1, "bidirectional" => 2, _ => 0 };
        if (directions == 0)
        {
            context.Invalid($"direction '{direction}' is not forward, reverse or bidirectional");
            return null;
        }

        if (x.Rank != 3 || w.Rank != 3 || r.Rank != 3)
        {
            context.Invalid($"X {x}, W {w} and R {r} must be 3-D");
            return null;
        }

        int hidden = (int)context.GetInt("hidden_size", r[2]);
        if (w[0] != directions || w[1] != gates * hidden || w[2] != x[2] || r[0] != directions || r[1] != gates * hidden || r[2] != hidden)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"W {w} and R {r} must be [{directions},{gates * hidden},{x[2]}] and [{directions},{gates * hidden},{hidden}] for X {x}, hidden_size {hidden}, direction {direction}"));
            return null;
        }

        if (context.Input(4) is { } lens && (lens.Type != DataType.Int32 || lens.Shape is not { Rank: 1 } ls || ls[0] != x[1]))
        {
            context.Invalid($"sequence_lens must be int32 [{x[1]}], is {lens}");
            return null;
        }

        int perDirection = defaultActivations.Length;
        var activations = context.GetStrings("activations") ?? [.. Enumerable.Range(0, directions).SelectMany(_ => defaultActivations)];
        if (activations.Length != perDirection * directions || activations.Any(a => !RecurrentActivations.Names.Contains(a)))
        {
            context.UnsupportedAttribute("activations", "[" + string.Join(",", activations) + "]",
                $"{perDirection * directions} of {string.Join(", ", RecurrentActivations.Names)} ({perDirection} per direction)");
            return null;
        }

        if (context.HasAttribute("activation_alpha") || context.HasAttribute("activation_beta"))
        {
            context.UnsupportedAttribute("activation_alpha/activation_beta", "set", "none (the supported activations take no parameters)");
            return null;
        }

        float clip = context.GetFloat("clip", float.PositiveInfinity);
        if (!(clip > 0))
        {
            context.Invalid($"clip {clip.ToString(CultureInfo.InvariantCulture)} must be positive");
            return null;
        }

        return new RecurrentArguments(x[0], x[1], x[2], hidden, directions, direction == "reverse", activations, clip);
    }

    /// <summary>Whether direction <paramref name="d"/> runs from the last step to the first.</summary>
    public bool Backward(int d) => Reverse || d == 1;

    /// <summary>Checks an optional input's shape (absent is fine).</summary>
    public static bool OptionalInput(InferenceContext context, int index, string role, int[] dims)
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

    /// <summary>Sets Y [seq, directions, batch, hidden] and the state outputs [directions, batch, hidden] (as many as the node has).</summary>
    public void SetOutputs(InferenceContext context, int stateOutputs)
    {
        context.SetOutput(0, DataType.Float32, new Shape(SeqLength, Directions, Batch, Hidden));
        for (int i = 1; i <= Math.Min(stateOutputs, context.Node.Outputs.Count - 1); i++)
        {
            context.SetOutput(i, DataType.Float32, new Shape(Directions, Batch, Hidden));
        }
    }
}
