using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Pad (constant mode; negative pads crop): output index i along axis a reads input index i − begin[a] when
/// that lies inside the input, else the value.</summary>
internal sealed class PadTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Pad"];

    public string? Check(Node node, long opset) => node.Parameters is PadParameters ? null : "no pads";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (PadParameters)node.Parameters!;
        var (x, y) = (node.Inputs[0]!, node.Outputs[0]);
        int[] xDims = TailEmitter.Dims(x), yDims = TailEmitter.Dims(y);
        long[] sx = TailEmitter.Strides(xDims), sy = TailEmitter.Strides(yDims);
        string rx = e.Ref(x), ry = e.Ref(y);
        var l = e.Language;
        string fill = y.Type == DataType.Int64 ? l.Int((long)p.Value) : l.Float((float)p.Value);
        e.ForEach(yDims, i =>
        {
            var source = new string[i.Length];
            var inside = new List<string>();
            long origin = 0;
            for (int a = 0; a < i.Length; a++)
            {
                source[a] = i[a];
                origin -= p.Begin[a] * sx[a];
                string at = p.Begin[a] == 0 ? i[a] : $"({i[a]} - {p.Begin[a]})".Replace("- -", "+ ", StringComparison.Ordinal);
                if (p.Begin[a] > 0)
                {
                    inside.Add($"{at} >= 0");
                }

                if (p.End[a] > 0)
                {
                    inside.Add($"{at} < {xDims[a]}");
                }
            }

            string read = $"{rx}[{TailEmitter.Offset(source, sx, origin)}]";
            e.Line($"{ry}[{TailEmitter.Offset(i, sy)}] = " + (inside.Count == 0 ? read : $"{string.Join(" && ", inside)} ? {read} : {fill}") + ";");
        });
    }
}
