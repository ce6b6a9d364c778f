using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.Ops.Support;

/// <summary>Reading operator parameters that moved from attributes to inputs across opsets, and axis checks.</summary>
internal static class OpArguments
{
    /// <summary>
    /// An integer list given as attribute <paramref name="name"/> before <paramref name="inputSince"/> and as
    /// constant input <paramref name="inputIndex"/> from then on. <paramref name="present"/> is false when absent;
    /// the result is null after an error was reported.
    /// </summary>
    public static long[]? IntsAttributeOrInput(InferenceContext context, string name, int inputIndex, long inputSince, out bool present)
    {
        if (context.Opset < inputSince)
        {
            var ints = context.GetInts(name);
            present = ints is not null;
            return ints ?? [];
        }

        if (context.HasAttribute(name))
        {
            context.Invalid($"'{name}' is an input since opset {inputSince.ToString(CultureInfo.InvariantCulture)}, not an attribute");
            present = false;
            return null;
        }

        present = context.HasInput(inputIndex);
        if (!present)
        {
            return [];
        }

        var tensor = context.ConstantInput(inputIndex, name);
        if (tensor is null)
        {
            return null;
        }

        if (!IsInteger(tensor.Type) || tensor.Shape.Rank > 1)
        {
            context.Invalid($"input '{name}' must be a 1-D int64 tensor, is {tensor.Type.Name()}{tensor.Shape}");
            return null;
        }

        return tensor.ToInt64Array();
    }

    /// <summary>A constant integer input as int64 values, or null after reporting.</summary>
    public static long[]? ConstantInts(InferenceContext context, int index, string role)
    {
        var tensor = context.ConstantInput(index, role);
        if (tensor is null)
        {
            return null;
        }

        if (!IsInteger(tensor.Type))
        {
            context.Invalid($"input '{role}' must be an integer tensor, is {tensor.Type.Name()}");
            return null;
        }

        return tensor.ToInt64Array();
    }

    /// <summary>Normalises axes against <paramref name="rank"/>; reports out-of-range and repeated axes.</summary>
    public static int[]? NormalizeAxes(InferenceContext context, IReadOnlyList<long> axes, int rank, string name = "axes")
    {
        var result = new int[axes.Count];
        for (int i = 0; i < axes.Count; i++)
        {
            long a = axes[i] < 0 ? axes[i] + rank : axes[i];
            if (a < 0 || a >= rank)
            {
                context.Invalid(string.Create(CultureInfo.InvariantCulture, $"{name}[{i}] = {axes[i]} is out of range for rank {rank}"));
                return null;
            }

            result[i] = (int)a;
        }

        if (result.Distinct().Count() != result.Length)
        {
            context.Invalid($"{name} [{string.Join(",", axes)}] repeats an axis");
            return null;
        }

        return result;
    }

    public static int? NormalizeAxis(InferenceContext context, long axis, int rank, string name = "axis")
    {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"{name} = {axis} is out of range for rank {rank}"));
            return null;
        }

        return (int)a;
    }

    /// <summary>Reports and returns false when input <paramref name="index"/> is absent.</summary>
    public static bool Require(InferenceContext context, int index, string role)
    {
        if (context.HasInput(index))
        {
            return true;
        }

        context.Invalid($"required input {index.ToString(CultureInfo.InvariantCulture)} ('{role}') is missing");
        return false;
    }

    /// <summary>Reports and returns false when the input's element type is not one data-movement operators handle.</summary>
    public static bool RequireStorable(InferenceContext context, int index)
    {
        var type = context.Input(index)!.Type;
        if (ElementBytes.IsNumeric(type))
        {
            return true;
        }

        context.Error(IrDiagnostics.UnsupportedType, $"input {index.ToString(CultureInfo.InvariantCulture)} has element type {type.Name()}, which is not supported");
        return false;
    }

    public static bool IsInteger(DataType type) =>
        type is DataType.Int64 or DataType.Int32 or DataType.Int16 or DataType.Int8 or DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64;

    /// <summary>Product of dims, for checking element counts before a shape is built.</summary>
    public static long Product(ReadOnlySpan<long> dims)
    {
        long n = 1;
        foreach (long d in dims)
        {
            n = d == 0 ? 0 : n > long.MaxValue / Math.Max(d, 1) ? long.MaxValue : n * d;
        }

        return n;
    }
}
