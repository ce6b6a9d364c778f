using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout (inference): the data keeps its row-major order,
/// so the output is a copy of the input.</summary>
internal sealed class CopyTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Dropout"];

    public string? Check(Node node, long opset) =>
        node.OpType == "Dropout" && node.Outputs.Count > 1 && node.Outputs[1].Consumers.Count > 0 ? "its mask is used" : null;

    public void Emit(Node node, long opset, TailEmitter e)
    {
        string x = e.Ref(node.Inputs[0]!), y = e.Ref(node.Outputs[0]);
        e.For("i", node.Outputs[0].Shape!.ElementCount, () => e.Line($"{y}[i] = {x}[i];"));
    }
}
