using System.Globalization;
using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;

namespace Emc.Compiler.Ops;

/// <summary>
/// Add, Sub, Mul, Div: numpy broadcasting (opset ≥ 7); opset ≤ 6 `broadcast`/`axis` semantics. float32, and
/// int64/int32 for the shape arithmetic exporters emit.
/// </summary>
internal abstract class BinaryArithmeticOperator : Operator
{
    protected abstract BinaryOperation Operation { get; }

    public override void Infer(InferenceContext context)
    {
        var a = context.Input(0);
        var b = context.Input(1);
        if (a is null || b is null)
        {
            context.Invalid("needs two inputs");
            return;
        }

        if (a.Type != b.Type)
        {
            context.Invalid($"input types differ: {a.Type.Name()} and {b.Type.Name()}");
            return;
        }

        if (a.Type is not (DataType.Float32 or DataType.Int64 or DataType.Int32))
        {
            context.Error(IrDiagnostics.UnsupportedType, $"element type {a.Type.Name()} is not supported (float32, int64, int32)");
            return;
        }

        int[] aShape = a.Shape!.ToArray();
        int[] bShape = b.Shape!.ToArray();
        if (context.Opset < 7)
        {
            bShape = LegacyBroadcast(context, aShape, bShape);
            if (context.Failed)
            {
                return;
            }
        }

        var yShape = Broadcasting.BroadcastShape(aShape, bShape);
        if (yShape is null || yShape.Length > Broadcasting.MaxRank)
        {
            context.Invalid($"shapes {a.Shape} and {b.Shape} do not broadcast");
            return;
        }

        context.Node.Parameters = new BinaryParameters(Operation, aShape, bShape, yShape);
        context.SetOutput(0, a.Type, new Shape(yShape));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<BinaryParameters>();
        switch (context.Output(0).Type)
        {
            case DataType.Float32:
                Run<float>(context, p);
                break;
            case DataType.Int64:
                Run<long>(context, p);
                break;
            default:
                Run<int>(context, p);
                break;
        }
    }

    private static void Run<T>(EvaluationContext context, BinaryParameters p)
        where T : unmanaged, System.Numerics.INumber<T> =>
        Broadcasting.Binary<T>(p.Operation, context.Input<T>(0).Span, p.AShape, context.Input<T>(1).Span, p.BShape,
            context.Output<T>(0).Span, p.YShape);

    /// <summary>Opset ≤ 6: without `broadcast` the shapes must match; with it, B matches a run of A's dimensions
    /// starting at `axis` (default: the trailing ones). Returns B's shape padded with trailing unit dimensions.</summary>
    private static int[] LegacyBroadcast(InferenceContext context, int[] aShape, int[] bShape)
    {
        bool broadcast = context.GetInt("broadcast", 0) != 0;
        if (!broadcast)
        {
            if (!aShape.AsSpan().SequenceEqual(bShape))
            {
                context.Invalid($"without broadcast=1 the shapes must match: [{string.Join(",", aShape)}] vs [{string.Join(",", bShape)}]");
            }

            return bShape;
        }

        long axis = context.HasAttribute("axis") ? context.GetInt("axis", 0) : aShape.Length - bShape.Length;
        if (axis < 0)
        {
            axis += aShape.Length;
        }

        if (axis < 0 || axis + bShape.Length > aShape.Length)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"axis {axis} does not place B {bShape.Length}-D inside A"));
            return bShape;
        }

        var padded = new int[aShape.Length - (int)axis];
        padded.AsSpan().Fill(1);
        bShape.CopyTo(padded, 0);
        return padded;
    }
}
