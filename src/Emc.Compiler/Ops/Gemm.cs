using System.Globalization;
using Emc.Compiler.Evaluation.Kernels;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Gemm (all opsets), float32: Y = alpha·A'·B' + beta·C with A' = transA ? Aᵀ : A, B' likewise, and C
/// broadcast to [M, N] (optional from opset 11).</summary>
internal sealed class Gemm : Operator
{
    public override string OpType => "Gemm";

    public override void Infer(InferenceContext context)
    {
        var a = OpChecks.FloatInput(context, 0, "A");
        var b = OpChecks.FloatInput(context, 1, "B");
        if (a is null || b is null)
        {
            return;
        }

        if (a.Rank != 2 || b.Rank != 2)
        {
            context.Error(IrDiagnostics.UnsupportedShape, $"A {a} and B {b} must be 2-D");
            return;
        }

        bool transA = context.GetInt("transA", 0) != 0, transB = context.GetInt("transB", 0) != 0;
        int m = transA ? a[1] : a[0], k = transA ? a[0] : a[1];
        int kb = transB ? b[1] : b[0], n = transB ? b[0] : b[1];
        if (k != kb)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"inner dimensions differ: A {a} (transA {transA}), B {b} (transB {transB})"));
            return;
        }

        int[] cShape = [];
        bool hasC = context.HasInput(2);
        if (!hasC && context.Opset < 11)
        {
            context.Invalid("input C is required before opset 11");
            return;
        }

        if (hasC)
        {
            var c = OpChecks.FloatInput(context, 2, "C");
            if (c is null)
            {
                return;
            }

            cShape = c.ToArray();
            var y = Broadcasting.BroadcastShape([m, n], cShape);
            if (c.Rank > 2 || y is null || y[0] != m || y[1] != n)
            {
                context.Invalid($"C {c} does not broadcast to [{m},{n}]");
                return;
            }
        }

        context.Node.Parameters = new GemmParameters(m, n, k, transA, transB, context.GetFloat("alpha", 1f), context.GetFloat("beta", 1f),
            hasC, cShape);
        context.SetOutput(0, DataType.Float32, new Shape(m, n));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<GemmParameters>();
        ReadOnlySpan<float> c = p.HasC ? context.Input<float>(2).Span : default;
        GemmKernel.Run(p.M, p.N, p.K, context.Input<float>(0).Span, p.TransA, context.Input<float>(1).Span, p.TransB, p.Alpha, c, p.CShape,
            p.Beta, context.Output<float>(0).Span, context.Scratch<float>(0, GemmKernel.ScratchLength(p.M, p.N, p.K, c.Length)),
            context.MaxDegreeOfParallelism);
    }
}

/// <summary>A resolved Gemm node.</summary>
internal sealed record GemmParameters(int M, int N, int K, bool TransA, bool TransB, float Alpha, float Beta, bool HasC, int[] CShape);
