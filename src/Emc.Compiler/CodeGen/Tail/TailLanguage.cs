using System.Globalization;

namespace Emc.Compiler.CodeGen.Tail;

/// <summary>
/// What differs between the C99 and the C# a tail generator writes: types, math functions, literals and how buffers are
/// declared. Statements (for loops, indexing, arithmetic, ternaries) are written once in the subset both languages share.
/// </summary>
internal sealed class TailLanguage
{
    public static readonly TailLanguage C = new(isC: true);

    public static readonly TailLanguage CSharp = new(isC: false);

    private TailLanguage(bool isC) => IsC = isC;

    public bool IsC { get; }

    public string Int64 => IsC ? "int64_t" : "long";

    /// <summary>The element type a tail stores for <paramref name="type"/>: float, int64, or a byte holding 0/1 for bool.</summary>
    public string TypeOf(Ir.DataType type) => type switch
    {
        Ir.DataType.Int64 => Int64,
        Ir.DataType.Bool => IsC ? "unsigned char" : "byte",
        _ => "float",
    };

    /// <summary>A condition stored as a bool element (1 or 0).</summary>
    public string Truth(string condition) => IsC ? $"(unsigned char)({condition})" : $"(byte)({condition} ? 1 : 0)";

    /// <summary>Whether a float expression is NaN (C99's isnan macro; float.IsNaN).</summary>
    public string IsNan(string value) => IsC ? $"isnan({value})" : $"float.IsNaN({value})";

    /// <summary>A float array of <paramref name="count"/> elements local to the enclosing block (on the stack in both).</summary>
    public string LocalFloats(string name, int count) =>
        IsC ? $"float {name}[{count}];" : $"global::System.Span<float> {name} = stackalloc float[{count}];";

    /// <summary>A float function of the C library: exp, log, pow, sqrt, tanh.</summary>
    public string Math(string function, params string[] args)
    {
        string name = IsC ? (function == "abs" ? "fabsf" : function + "f") : "global::System.MathF." + char.ToUpperInvariant(function[0]) + function[1..];
        return name + "(" + string.Join(", ", args) + ")";
    }

    /// <summary>A float literal that round-trips, infinities and NaN included.</summary>
    public string Float(float value) => value switch
    {
        float.PositiveInfinity => IsC ? "HUGE_VALF" : "float.PositiveInfinity",
        float.NegativeInfinity => IsC ? "(-HUGE_VALF)" : "float.NegativeInfinity",
        _ when float.IsNaN(value) => IsC ? "NAN" : "float.NaN",
        _ => SourceLiterals.Float(value),
    };

    public string Int(long value) =>
        IsC && (value > int.MaxValue || value < int.MinValue)
            ? "INT64_C(" + value.ToString(CultureInfo.InvariantCulture) + ")"
            : value.ToString(CultureInfo.InvariantCulture) + (IsC || value is >= int.MinValue and <= int.MaxValue ? "" : "L");
}
