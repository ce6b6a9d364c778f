using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Element-wise float functions y[i] = f(x[i]), written with the float operations of the evaluator's op so
/// that both round alike (Clip's bounds from its attributes before opset 11, from its scalar inputs after).</summary>
internal sealed class UnaryTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } =
        ["Exp", "Sigmoid", "Relu", "Tanh", "Neg", "Sqrt", "Log", "Abs", "Clip", "HardSigmoid", "HardSwish", "LeakyRelu", "Elu", "Selu", "Softplus", "Sign", "Shrink"];

    public string? Check(Node node, long opset) => node.Inputs[0]?.Type != DataType.Float32 ? "not float32"
        : node.OpType is "HardSigmoid" or "LeakyRelu" or "Elu" or "Selu" or "Shrink" && node.Parameters is not ActivationParameters ? "no parameters"
        : null;

    public void Emit(Node node, long opset, TailEmitter e)
    {
        string x = e.Ref(node.Inputs[0]!), y = e.Ref(node.Outputs[0]);
        var l = e.Language;
        var a = node.Parameters as ActivationParameters;
        string alpha = a is null ? "" : l.Float(a.Alpha), beta = a is null ? "" : l.Float(a.Beta);
        var (low, high) = node.OpType == "Clip" ? ClipBounds(node, e) : (null, null);
        e.For("i", node.Outputs[0].Shape!.ElementCount, () =>
        {
            e.Line($"float v = {x}[i];");
            switch (node.OpType)
            {
                case "Clip":
                    if (low is not null)
                    {
                        e.Line($"v = v < {low} ? {low} : v;");
                    }

                    if (high is not null)
                    {
                        e.Line($"v = v > {high} ? {high} : v;");
                    }

                    e.Line($"{y}[i] = v;");
                    break;
                case "HardSigmoid":
                    e.Line($"float u = {alpha} * v + {beta};");
                    e.Line($"{y}[i] = u > 1.0f ? 1.0f : u < 0.0f ? 0.0f : u;");
                    break;
                case "HardSwish":
                    e.Line("float u = v / 6.0f + 0.5f;");
                    e.Line($"{y}[i] = v * (u > 1.0f ? 1.0f : u < 0.0f ? 0.0f : u);");
                    break;
                default:
                    e.Line($"{y}[i] = {Expression(node.OpType, l, alpha, beta)};");
                    break;
            }
        });
    }

    private static string Expression(string op, TailLanguage l, string alpha, string beta) => op switch
    {
        "Exp" => l.Math("exp", "v"),
        "Sigmoid" => $"1.0f / (1.0f + {l.Math("exp", "-v")})",
        "Relu" => "v > 0.0f ? v : 0.0f",
        "Tanh" => l.Math("tanh", "v"),
        "Neg" => "-v",
        "Sqrt" => l.Math("sqrt", "v"),
        "Log" => l.Math("log", "v"),
        "LeakyRelu" => $"v < 0.0f ? v * {alpha} : v",
        "Elu" => $"v < 0.0f ? {alpha} * ({l.Math("exp", "v")} - 1.0f) : v",
        "Selu" => $"{beta} * (v <= 0.0f ? {alpha} * {l.Math("exp", "v")} - {alpha} : v)",
        "Softplus" => $"(v > 0.0f ? v : 0.0f) + {l.Math("log", $"1.0f + {l.Math("exp", $"-{l.Math("abs", "v")}")}")}",
        "Sign" => "v > 0.0f ? 1.0f : v < 0.0f ? -1.0f : v",
        "Shrink" => $"v < -({alpha}) ? v + {beta} : v > {alpha} ? v - {beta} : 0.0f",
        _ => l.Math("abs", "v"),
    };

    /// <summary>Clip's bounds as expressions (null: unbounded on that side).</summary>
    private static (string? Low, string? High) ClipBounds(Node node, TailEmitter e)
    {
        if (node.Parameters is ClipParameters { FromAttributes: true } p)
        {
            return (p.Min == float.MinValue ? null : e.Language.Float(p.Min), p.Max == float.MaxValue ? null : e.Language.Float(p.Max));
        }

        string? Bound(int i) => node.Inputs.Count > i && node.Inputs[i] is { } b ? e.Ref(b) + "[0]" : null;
        return (Bound(1), Bound(2));
    }
}
