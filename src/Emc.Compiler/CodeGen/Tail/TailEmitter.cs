using System.Globalization;
using System.Text;
using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail;

/// <summary>
/// What a <see cref="ITailOpGenerator"/> writes through: the statements of the tail function in one language, and the
/// names of the buffers that hold each tensor (<see cref="Ref"/>; constants are declared on first use).
/// </summary>
internal sealed class TailEmitter(TailLanguage language, IReadOnlyDictionary<Value, string> buffers, string indent)
{
    private readonly StringBuilder _body = new();
    private readonly List<(string Name, Tensor Data)> _constants = [];
    private readonly Dictionary<Value, string> _constantNames = [];
    private int _depth;

    public TailLanguage Language { get; } = language;

    /// <summary>The constant tensors the statements use, in order of first use (named <c>c0</c>, <c>c1</c>…).</summary>
    public IReadOnlyList<(string Name, Tensor Data)> Constants => _constants;

    public string Body => _body.ToString();

    /// <summary>The buffer holding <paramref name="value"/>: a tail input, a graph output, scratch, or a constant array.</summary>
    public string Ref(Value value)
    {
        if (value.Constant is { } constant)
        {
            if (!_constantNames.TryGetValue(value, out string? name))
            {
                name = (Language.IsC ? "c" : "s_tail_c") + _constants.Count.ToString(CultureInfo.InvariantCulture);
                _constantNames.Add(value, name);
                _constants.Add((name, constant));
            }

            return name;
        }

        return buffers[value];
    }

    public static int[] Dims(Value value) => value.Shape!.ToArray();

    public void Line(string text) => _body.Append(indent).Append(' ', _depth * 4).Append(text).Append('\n');

    public void Comment(string text) => Line("/* " + SourceLiterals.Comment(text) + " */");

    public void Open(string header)
    {
        if (header.Length > 0)
        {
            Line(header);
        }

        Line("{");
        _depth++;
    }

    public void Close()
    {
        _depth--;
        Line("}");
    }

    /// <summary><c>for (int name = 0; name &lt; count; name++)</c> around <paramref name="body"/>.</summary>
    public void For(string name, long count, Action body)
    {
        Open(string.Create(CultureInfo.InvariantCulture, $"for (int {name} = 0; {name} < {count}; {name}++)"));
        body();
        Close();
    }

    /// <summary>Nested loops over <paramref name="dims"/> (indices i0, i1…; dimensions of 1 get no loop and index "0"),
    /// then <paramref name="body"/> with the index expressions.</summary>
    public void ForEach(IReadOnlyList<int> dims, Action<string[]> body, string prefix = "i")
    {
        var index = new string[dims.Count];
        int opened = 0;
        for (int d = 0; d < dims.Count; d++)
        {
            if (dims[d] == 1)
            {
                index[d] = "0";
                continue;
            }

            index[d] = prefix + d.ToString(CultureInfo.InvariantCulture);
            Open(string.Create(CultureInfo.InvariantCulture, $"for (int {index[d]} = 0; {index[d]} < {dims[d]}; {index[d]}++)"));
            opened++;
        }

        body(index);
        for (int i = 0; i < opened; i++)
        {
            Close();
        }
    }

    /// <summary>base + Σ index·stride, leaving out zero terms ("i0 * 12 + i2 + 3").</summary>
    public static string Offset(IReadOnlyList<string> index, IReadOnlyList<long> strides, long origin = 0)
    {
        var terms = new List<string>();
        for (int d = 0; d < index.Count; d++)
        {
            if (strides[d] == 0 || index[d] == "0")
            {
                continue;
            }

            terms.Add(strides[d] == 1 ? index[d] : string.Create(CultureInfo.InvariantCulture, $"{index[d]} * {strides[d]}"));
        }

        if (origin != 0 || terms.Count == 0)
        {
            terms.Add(origin.ToString(CultureInfo.InvariantCulture));
        }

        return string.Join(" + ", terms).Replace("+ -", "- ", StringComparison.Ordinal);
    }

    /// <summary>Row-major strides of <paramref name="dims"/>.</summary>
    public static long[] Strides(IReadOnlyList<int> dims)
    {
        var strides = new long[dims.Count];
        long stride = 1;
        for (int d = dims.Count - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= dims[d];
        }

        return strides;
    }

    /// <summary>Strides with which an operand of <paramref name="shape"/> is read at the indices of an output of rank
    /// <paramref name="rank"/> (numpy broadcasting: missing and unit dimensions read with stride 0).</summary>
    public static long[] BroadcastStrides(IReadOnlyList<int> shape, int rank)
    {
        var own = Strides(shape);
        var strides = new long[rank];
        for (int d = 0; d < rank; d++)
        {
            int s = d - (rank - shape.Count);
            strides[d] = s < 0 || shape[s] == 1 ? 0 : own[s];
        }

        return strides;
    }
}
