using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Tile (opset 6+): repeats the input along each axis by the (constant) repeats.</summary>
internal sealed class Tile : Operator
{
    public override string OpType => "Tile";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "input") || !OpArguments.Require(context, 1, "repeats") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        if (context.Opset < 6)
        {
            context.Error(IrDiagnostics.UnsupportedAttribute, "Tile before opset 6 (tiles/axis inputs) is not supported");
            return;
        }

        var repeats = OpArguments.ConstantInts(context, 1, "repeats");
        if (repeats is null)
        {
            return;
        }

        var input = context.InputShape(0);
        if (repeats.Length != input.Rank || repeats.Any(r => r < 0))
        {
            context.Invalid($"repeats [{string.Join(",", repeats)}] must have one non-negative value per axis of {input}");
            return;
        }

        var dims = new long[input.Rank];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = input[i] * repeats[i];
        }

        if (dims.Any(d => d > int.MaxValue) || OpArguments.Product(dims) > int.MaxValue)
        {
            context.Error(IrDiagnostics.UnsupportedShape, "the tiled tensor is too large");
            return;
        }

        var outDims = dims.Select(d => (int)d).ToArray();
        context.Node.Parameters = new BroadcastParameters([Offsets(input, outDims)]);
        context.SetOutput(0, context.Input(0)!.Type, new Ir.Shape(outDims));
    }

    public override void Evaluate(EvaluationContext context) =>
        BroadcastMap.Gather(context.Input(0), context.Parameters<BroadcastParameters>().Offsets[0], context.Output(0));

    private static int[] Offsets(Ir.Shape input, int[] outDims)
    {
        int rank = outDims.Length;
        long count = OpArguments.Product(outDims.Select(d => (long)d).ToArray());
        var offsets = new int[count];
        long[] strides = input.Strides();
        var counter = new int[rank];
        for (long o = 0; o < count; o++)
        {
            long offset = 0;
            for (int a = 0; a < rank; a++)
            {
                offset += counter[a] % input[a] * strides[a];
            }

            offsets[o] = (int)offset;
            for (int a = rank - 1; a >= 0; a--)
            {
                if (++counter[a] < outDims[a])
                {
                    break;
                }

                counter[a] = 0;
            }
        }

        return offsets;
    }
}
