using System.Numerics;
using System.Numerics.Tensors;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>Clip: y = min(max(x, min), max). Opset &lt; 11: min/max attributes; opset ≥ 11: optional scalar inputs
/// that may be constants or computed at run time. float32, and the integer types of opset 12+.</summary>
internal sealed class Clip : Operator
{
    public override string OpType => "Clip";

    public override void Infer(InferenceContext context)
    {
        var x = context.Input(0);
        if (x is null)
        {
            context.Invalid("input 0 ('input') is missing");
            return;
        }

        if (x.Type is not (DataType.Float32 or DataType.Int8 or DataType.UInt8 or DataType.Int32 or DataType.Int64))
        {
            context.Error(IrDiagnostics.UnsupportedType, $"element type {x.Type.Name()} is not supported (float32, int8, uint8, int32, int64)");
            return;
        }

        if (context.Opset < 11)
        {
            if (x.Type != DataType.Float32)
            {
                context.Error(IrDiagnostics.UnsupportedType, $"element type {x.Type.Name()} needs opset ≥ 12");
                return;
            }

            context.Node.Parameters = new ClipParameters(true, context.GetFloat("min", float.MinValue), context.GetFloat("max", float.MaxValue));
        }
        else
        {
            for (int i = 1; i <= 2; i++)
            {
                var bound = context.Input(i);
                if (bound is not null && (bound.Type != x.Type || bound.Shape!.ElementCount != 1))
                {
                    context.Invalid($"input {i} ('{(i == 1 ? "min" : "max")}') must be a {x.Type.Name()} scalar, is {bound}");
                    return;
                }
            }

            context.Node.Parameters = new ClipParameters(false, float.NegativeInfinity, float.PositiveInfinity);
        }

        context.SetOutput(0, x.Type, x.Shape!);
    }

    public override void Evaluate(EvaluationContext context)
    {
        switch (context.Output(0).Type)
        {
            case DataType.Float32: Run(context, float.NegativeInfinity, float.PositiveInfinity); break;
            case DataType.Int8: Run(context, sbyte.MinValue, sbyte.MaxValue); break;
            case DataType.UInt8: Run(context, byte.MinValue, byte.MaxValue); break;
            case DataType.Int32: Run(context, int.MinValue, int.MaxValue); break;
            default: Run(context, long.MinValue, long.MaxValue); break;
        }
    }

    private static void Run<T>(EvaluationContext context, T lowest, T highest)
        where T : unmanaged, INumber<T>
    {
        T min = lowest, max = highest;
        if (context.Node.Parameters is ClipParameters { FromAttributes: true } p)
        {
            min = T.CreateTruncating(p.Min);
            max = T.CreateTruncating(p.Max);
        }

        if (context.HasInput(1))
        {
            min = context.Input<T>(1).Data[0];
        }

        if (context.HasInput(2))
        {
            max = context.Input<T>(2).Data[0];
        }

        var x = context.Input<T>(0).Span;
        var y = context.Output<T>(0).Span;
        if (min <= max)
        {
            TensorPrimitives.Clamp(x, min, max, y);
        }
        else
        {
            // ONNX: with min > max every value becomes max (Clamp would reject the bounds).
            TensorPrimitives.Max(x, min, y);
            TensorPrimitives.Min(y, max, y);
        }
    }
}

/// <summary>Clip bounds from the opset &lt; 11 attributes (unused when the bounds come from inputs).</summary>
internal sealed record ClipParameters(bool FromAttributes, float Min, float Max);
