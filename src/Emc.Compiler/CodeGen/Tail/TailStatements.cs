using System.Globalization;
using System.Text;
using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail;

/// <summary>The tail function's body in one language: each node's statements in graph order, in a block of its own,
/// then copies for graph outputs no tail node computes (a device output or a constant passed through).</summary>
internal static class TailStatements
{
    public static TailEmitter Write(HostTail tail, TailLanguage language, IReadOnlyDictionary<Value, string> buffers, IReadOnlyList<string> outputNames,
        string indent)
    {
        var e = new TailEmitter(language, buffers, indent);
        foreach (var node in tail.Nodes)
        {
            e.Comment($"{node.OpType} '{node.Name}' -> {Describe(node.Outputs[0])}");
            e.Open("");
            TailOpGenerators.Find(node, tail.Opset)!.Emit(node, tail.Opset, e);
            e.Close();
        }

        for (int o = 0; o < tail.OutputValues.Count; o++)
        {
            var output = tail.OutputValues[o];
            string x = e.Ref(output), y = outputNames[o];
            if (x != y)
            {
                e.For("i", output.Shape!.ElementCount, () => e.Line($"{y}[i] = {x}[i];"));
            }
        }

        return e;
    }

    public static string Describe(Value v) =>
        $"'{v.Name}' {v.Type.Name()} [{string.Join(", ", v.Shape!.ToArray())}]";

    /// <summary>Array initializer items, eight a line.</summary>
    public static string Items(Tensor data, TailLanguage language, string indent)
    {
        var b = new StringBuilder();
        var items = data.Type is DataType.Int64 or DataType.Bool
            ? data.ToInt64Array().Select(v => language.Int(v))
            : data.ToFloatArray().Select(language.Float);
        int i = 0;
        foreach (string item in items)
        {
            b.Append(i % 8 == 0 ? (i == 0 ? indent : ",\n" + indent) : ", ").Append(item);
            i++;
        }

        return b.ToString();
    }

    public static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}
