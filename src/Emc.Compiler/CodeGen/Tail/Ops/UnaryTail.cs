using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Element-wise float functions: y[i] = f(x[i]).</summary>
internal sealed class UnaryTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Exp", "Sigmoid", "Relu", "Tanh", "Neg", "Sqrt", "Log", "Abs"];

    public string? Check(Node node, long opset) => node.Inputs[0]?.Type == DataType.Float32 ? null : "not float32";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        string x = e.Ref(node.Inputs[0]!), y = e.Ref(node.Outputs[0]);
        var l = e.Language;
        e.For("i", node.Outputs[0].Shape!.ElementCount, () => e.Line($"{y}[i] = " + node.OpType switch
        {
            "Exp" => l.Math("exp", $"{x}[i]"),
            "Sigmoid" => $"1.0f / (1.0f + {l.Math("exp", $"-{x}[i]")})",
            "Relu" => $"{x}[i] > 0.0f ? {x}[i] : 0.0f",
            "Tanh" => l.Math("tanh", $"{x}[i]"),
            "Neg" => $"-{x}[i]",
            "Sqrt" => l.Math("sqrt", $"{x}[i]"),
            "Log" => l.Math("log", $"{x}[i]"),
            _ => l.Math("abs", $"{x}[i]"),
        } + ";"));
    }
}
