using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Parameters of a Transpose node: the permutation (output axis i reads input axis Perm[i]), and the output
/// dimensions with the input stride each output axis steps through (precomputed so evaluation allocates nothing).</summary>
internal sealed record TransposeParameters(int[] Perm, int[] OutDims, long[] InputSteps);

/// <summary>Transpose (any rank; default permutation reverses the axes).</summary>
internal sealed class Transpose : Operator
{
    public override string OpType => "Transpose";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "data") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        var input = context.InputShape(0);
        var perm = context.GetInts("perm") ?? Enumerable.Range(0, input.Rank).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != input.Rank || perm.Any(p => p < 0 || p >= input.Rank) || perm.Distinct().Count() != perm.Length)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"perm [{string.Join(",", perm)}] is not a permutation of the {input.Rank} axes"));
            return;
        }

        var p = perm.Select(v => (int)v).ToArray();
        long[] inStrides = input.Strides();
        var outDims = p.Select(a => input[a]).ToArray();
        context.Node.Parameters = new TransposeParameters(p, outDims, p.Select(a => inStrides[a]).ToArray());
        context.SetOutput(0, context.Input(0)!.Type, new Ir.Shape(outDims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var parameters = context.Parameters<TransposeParameters>();
        StridedCopy.Run(context.Input(0), parameters.OutDims, 0, parameters.InputSteps, context.Output(0));
    }
}
