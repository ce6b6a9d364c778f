using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Parameters of a Gather node.</summary>
internal sealed record GatherParameters(int Axis);

/// <summary>Gather along any axis with int32/int64 indices (negative indices count from the end).</summary>
internal sealed class Gather : Operator
{
    public override string OpType => "Gather";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "data") || !OpArguments.Require(context, 1, "indices") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        var data = context.InputShape(0);
        var indices = context.Input(1)!;
        if (indices.Type is not (DataType.Int64 or DataType.Int32))
        {
            context.Error(IrDiagnostics.UnsupportedType, $"indices must be int32 or int64, are {indices.Type.Name()}");
            return;
        }

        if (data.Rank == 0)
        {
            context.Invalid("data must have rank 1 or more");
            return;
        }

        var axis = OpArguments.NormalizeAxis(context, context.GetInt("axis", 0), data.Rank);
        if (axis is null)
        {
            return;
        }

        if (indices.Constant is { } constant)
        {
            int n = data[axis.Value];
            foreach (long i in constant.ToInt64Array())
            {
                if (i < -n || i >= n)
                {
                    context.Invalid(string.Create(CultureInfo.InvariantCulture, $"index {i} is out of range for axis {axis} of size {n}"));
                    return;
                }
            }
        }

        var dims = new List<int>();
        dims.AddRange(data.Take(axis.Value));
        dims.AddRange(indices.Shape!);
        dims.AddRange(data.Skip(axis.Value + 1));
        context.Node.Parameters = new GatherParameters(axis.Value);
        context.SetOutput(0, context.Input(0)!.Type, new Ir.Shape(dims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        int axis = context.Parameters<GatherParameters>().Axis;
        var data = context.Input(0);
        var indices = context.Input(1).ToInt64Array();
        var source = ElementBytes.Of(data);
        var destination = ElementBytes.Of(context.Output(0));
        int size = ElementBytes.Size(data.Type);
        long outer = 1;
        for (int i = 0; i < axis; i++)
        {
            outer *= data.Shape[i];
        }

        int n = data.Shape[axis];
        long inner = size;
        for (int i = axis + 1; i < data.Shape.Rank; i++)
        {
            inner *= data.Shape[i];
        }

        int block = (int)inner;
        long d = 0;
        for (long o = 0; o < outer; o++)
        {
            long rowStart = o * n * inner;
            foreach (long raw in indices)
            {
                // Run-time indices out of range are clamped (constant ones were checked at import).
                long index = Math.Clamp(raw < 0 ? raw + n : raw, 0, n - 1);
                source.Slice((int)(rowStart + (index * inner)), block).CopyTo(destination.Slice((int)d, block));
                d += block;
            }
        }
    }
}
