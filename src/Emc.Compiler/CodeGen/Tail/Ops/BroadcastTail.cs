using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Sum, Max, Min (n inputs) and Expand with numpy broadcasting: one loop nest over the output, each input read
/// with stride 0 along its broadcast dimensions; Sum adds left to right, Max/Min propagate NaN as the evaluator does.</summary>
internal sealed class BroadcastTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Sum", "Max", "Min", "Expand"];

    public string? Check(Node node, long opset) =>
        node.Inputs.Any(i => i is null) ? "an omitted input"
        : node.OpType != "Expand" && node.Outputs[0].Type != DataType.Float32 ? "not float32"
        : null;

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var y = node.Outputs[0];
        int[] yDims = TailEmitter.Dims(y);
        long[] sy = TailEmitter.Strides(yDims);
        var operands = (node.OpType == "Expand" ? node.Inputs.Take(1) : node.Inputs)
            .Select(x => (Ref: e.Ref(x!), Strides: TailEmitter.BroadcastStrides(TailEmitter.Dims(x!), yDims.Length))).ToList();
        string ry = e.Ref(y);
        var l = e.Language;
        e.ForEach(yDims, i =>
        {
            var values = operands.Select(o => $"{o.Ref}[{TailEmitter.Offset(i, o.Strides)}]").ToList();
            string at = $"{ry}[{TailEmitter.Offset(i, sy)}]";
            if (node.OpType is "Expand")
            {
                e.Line($"{at} = {values[0]};");
                return;
            }

            e.Line($"float s = {values[0]};");
            foreach (string v in values.Skip(1))
            {
                e.Line(node.OpType switch
                {
                    "Sum" => $"s = s + {v};",
                    // NaN in either operand gives NaN.
                    "Max" => $"s = {l.IsNan("s")} || {l.IsNan(v)} ? s + {v} : s > {v} ? s : {v};",
                    _ => $"s = {l.IsNan("s")} || {l.IsNan(v)} ? s + {v} : s < {v} ? s : {v};",
                });
            }

            e.Line($"{at} = s;");
        });
    }
}
