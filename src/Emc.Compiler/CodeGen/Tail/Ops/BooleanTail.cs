using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Equal, Less, Greater (bool from two broadcast operands), Not, and Where (a broadcast select by a bool
/// condition): a detector's threshold masks. Bool elements are bytes holding 0 or 1 (<see cref="TailLanguage.Truth"/>).</summary>
internal sealed class BooleanTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Equal", "Less", "Greater", "Not", "Where"];

    public string? Check(Node node, long opset) => node.Inputs.Any(i => i is null) ? "an omitted input" : null;

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var y = node.Outputs[0];
        int[] yDims = TailEmitter.Dims(y);
        long[] sy = TailEmitter.Strides(yDims);
        var operands = node.Inputs.Select(x => (Ref: e.Ref(x!), Strides: TailEmitter.BroadcastStrides(TailEmitter.Dims(x!), yDims.Length))).ToList();
        string ry = e.Ref(y);
        var l = e.Language;
        e.ForEach(yDims, i =>
        {
            var v = operands.Select(o => $"{o.Ref}[{TailEmitter.Offset(i, o.Strides)}]").ToList();
            string value = node.OpType switch
            {
                "Equal" => l.Truth($"{v[0]} == {v[1]}"),
                "Less" => l.Truth($"{v[0]} < {v[1]}"),
                "Greater" => l.Truth($"{v[0]} > {v[1]}"),
                "Not" => l.Truth($"{v[0]} == 0"),
                _ => $"{v[0]} != 0 ? {v[1]} : {v[2]}",
            };
            e.Line($"{ry}[{TailEmitter.Offset(i, sy)}] = {value};");
        });
    }
}
