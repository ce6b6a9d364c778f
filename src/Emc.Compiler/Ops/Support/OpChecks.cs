using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.Ops.Support;

/// <summary>Input checks shared by the operators; each reports through the context and returns null/false on failure.</summary>
internal static class OpChecks
{
    /// <summary>The shape of a present float32 input, or null (reported).</summary>
    public static Shape? FloatInput(InferenceContext context, int index, string role)
    {
        var value = context.Input(index);
        if (value is null)
        {
            context.Invalid($"required input {index} ('{role}') is missing");
            return null;
        }

        if (value.Type != DataType.Float32)
        {
            context.Error(IrDiagnostics.UnsupportedType, $"input {index} ('{role}') is {value.Type.Name()}; only float32 is supported");
            return null;
        }

        return value.Shape;
    }

    /// <summary>A 2-D spatial input [N, C, H, W]; other ranks are reported as unsupported (1-D/3-D variants).</summary>
    public static bool RequireRank4(InferenceContext context, Shape shape, string what)
    {
        if (shape.Rank == 4)
        {
            return true;
        }

        context.Error(IrDiagnostics.UnsupportedShape, string.Create(CultureInfo.InvariantCulture,
            $"input has rank {shape.Rank} {shape}; only 2-D {what} (rank-4 NCHW input) is supported"));
        return false;
    }

    /// <summary>Fails for output counts above <paramref name="supported"/> (optional outputs we do not compute).</summary>
    public static bool RequireOutputs(InferenceContext context, int supported, string what)
    {
        int used = context.Node.Outputs.Count(o => o.Name.Length > 0);
        if (context.Node.Outputs.Count <= supported || used <= supported)
        {
            return true;
        }

        context.Error(IrDiagnostics.UnsupportedAttribute, $"{context.Node.Outputs.Count} outputs requested; {what}");
        return false;
    }
}
