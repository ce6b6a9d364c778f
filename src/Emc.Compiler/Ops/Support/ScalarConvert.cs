using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.Ops.Support;

/// <summary>Element conversions between IR types for the shape and constant operators (Cast, ConstantOfShape, Range…).
/// Integer-to-integer conversions go through int64 (exact); anything involving a float type through double.</summary>
internal static class ScalarConvert
{
    public static bool IsFloat(DataType type) => type is DataType.Float32 or DataType.Float64 or DataType.Float16;

    /// <summary>Converts every element of <paramref name="source"/> into <paramref name="target"/> (same element count).</summary>
    public static void Convert(Tensor source, Tensor target)
    {
        if (source.Type == target.Type)
        {
            ElementBytes.Of(source).CopyTo(ElementBytes.Of(target));
            return;
        }

        if (!IsFloat(source.Type) && !IsFloat(target.Type))
        {
            var values = source.ToInt64Array();
            WriteInt64(values, target);
            return;
        }

        var doubles = ToDoubles(source);
        WriteDoubles(doubles, target);
    }

    public static void Fill(Tensor target, double value)
    {
        switch (target)
        {
            case Tensor<float> t: t.Span.Fill((float)value); break;
            case Tensor<double> t: t.Span.Fill(value); break;
            case Tensor<Half> t: t.Span.Fill((Half)value); break;
            case Tensor<long> t: t.Span.Fill((long)value); break;
            case Tensor<int> t: t.Span.Fill((int)value); break;
            case Tensor<short> t: t.Span.Fill((short)value); break;
            case Tensor<sbyte> t: t.Span.Fill((sbyte)value); break;
            case Tensor<byte> t: t.Span.Fill((byte)value); break;
            case Tensor<ushort> t: t.Span.Fill((ushort)value); break;
            case Tensor<uint> t: t.Span.Fill((uint)value); break;
            case Tensor<ulong> t: t.Span.Fill((ulong)value); break;
            case Tensor<bool> t: t.Span.Fill(value != 0); break;
            default: throw new NotSupportedException(target.Type.Name());
        }
    }

    public static double[] ToDoubles(Tensor source)
    {
        switch (source)
        {
            case Tensor<float> t: return t.Data.Select(v => (double)v).ToArray();
            case Tensor<double> t: return (double[])t.Data.Clone();
            case Tensor<Half> t: return t.Data.Select(v => (double)v).ToArray();
            case Tensor<ulong> t: return t.Data.Select(v => (double)v).ToArray();
            default: return source.ToInt64Array().Select(v => (double)v).ToArray();
        }
    }

    public static void WriteDoubles(ReadOnlySpan<double> values, Tensor target)
    {
        switch (target)
        {
            case Tensor<float> t: for (int i = 0; i < values.Length; i++) t.Data[i] = (float)values[i]; break;
            case Tensor<double> t: values.CopyTo(t.Data); break;
            case Tensor<Half> t: for (int i = 0; i < values.Length; i++) t.Data[i] = (Half)values[i]; break;
            case Tensor<bool> t: for (int i = 0; i < values.Length; i++) t.Data[i] = values[i] != 0; break;
            default:
                // Float to integer truncates toward zero (NaN and out-of-range values saturate).
                var longs = new long[values.Length];
                for (int i = 0; i < values.Length; i++)
                {
                    double v = Math.Truncate(values[i]);
                    longs[i] = double.IsNaN(v) ? 0 : v >= 9.2233720368547758e18 ? long.MaxValue : v <= -9.2233720368547758e18 ? long.MinValue : (long)v;
                }

                WriteInt64(longs, target);
                break;
        }
    }

    public static void WriteInt64(ReadOnlySpan<long> values, Tensor target)
    {
        switch (target)
        {
            case Tensor<long> t: values.CopyTo(t.Data); break;
            case Tensor<int> t: for (int i = 0; i < values.Length; i++) t.Data[i] = unchecked((int)values[i]); break;
            case Tensor<short> t: for (int i = 0; i < values.Length; i++) t.Data[i] = unchecked((short)values[i]); break;
            case Tensor<sbyte> t: for (int i = 0; i < values.Length; i++) t.Data[i] = unchecked((sbyte)values[i]); break;
            case Tensor<byte> t: for (int i = 0; i < values.Length; i++) t.Data[i] = unchecked((byte)values[i]); break;
            case Tensor<ushort> t: for (int i = 0; i < values.Length; i++) t.Data[i] = unchecked((ushort)values[i]); break;
            case Tensor<uint> t: for (int i = 0; i < values.Length; i++) t.Data[i] = unchecked((uint)values[i]); break;
            case Tensor<ulong> t: for (int i = 0; i < values.Length; i++) t.Data[i] = unchecked((ulong)values[i]); break;
            case Tensor<bool> t: for (int i = 0; i < values.Length; i++) t.Data[i] = values[i] != 0; break;
            case Tensor<float> t: for (int i = 0; i < values.Length; i++) t.Data[i] = values[i]; break;
            case Tensor<double> t: for (int i = 0; i < values.Length; i++) t.Data[i] = values[i]; break;
            case Tensor<Half> t: for (int i = 0; i < values.Length; i++) t.Data[i] = (Half)values[i]; break;
            default: throw new NotSupportedException(target.Type.Name());
        }
    }
}
