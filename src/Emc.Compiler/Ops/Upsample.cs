using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>Upsample (opset 7: scales attribute; 9: scales input). Nearest mode: output index i reads floor(i / scale);
/// linear mode (float32): position i / scale (asymmetric, as ONNX Runtime computes it), blended between its neighbours.</summary>
internal sealed class Upsample : Operator
{
    public override string OpType => "Upsample";

    public override void Infer(InferenceContext context)
    {
        if (!OpArguments.Require(context, 0, "X") || !OpArguments.RequireStorable(context, 0))
        {
            return;
        }

        string mode = context.GetString("mode", "nearest");
        if (mode is not ("nearest" or "linear"))
        {
            context.UnsupportedAttribute("mode", $"'{mode}'", "'nearest', 'linear'");
            return;
        }

        if (mode == "linear" && !Resize.CheckLinear(context, "asymmetric"))
        {
            return;
        }

        if (context.Opset < 7)
        {
            context.Error(IrDiagnostics.UnsupportedAttribute, "Upsample before opset 7 (width_scale/height_scale) is not supported; re-export with opset 9 or newer");
            return;
        }

        float[]? scales;
        if (context.Opset < 9)
        {
            scales = context.GetFloats("scales");
        }
        else
        {
            scales = OpArguments.Require(context, 1, "scales") ? context.ConstantInput(1, "scales")?.ToFloatArray() : null;
        }

        if (scales is null)
        {
            if (!context.Failed)
            {
                context.Invalid("'scales' is required");
            }

            return;
        }

        var input = context.InputShape(0);
        if (scales.Length != input.Rank)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"scales has {scales.Length} values; the input has rank {input.Rank}"));
            return;
        }

        var maps = new int[input.Rank][];
        var dims = new int[input.Rank];
        for (int a = 0; a < input.Rank; a++)
        {
            if (!(scales[a] >= 1) || float.IsInfinity(scales[a]) || input[a] * (double)scales[a] > int.MaxValue)
            {
                context.Invalid(string.Create(CultureInfo.InvariantCulture, $"scales[{a}] = {scales[a]} must be a finite value >= 1"));
                return;
            }

            dims[a] = (int)Math.Floor((float)input[a] * scales[a]); // in float, as ONNX Runtime computes it
            maps[a] = NearestResampling.Map(input[a], dims[a], scales[a], "asymmetric", "floor");
        }

        if (mode == "linear")
        {
            var axes = Enumerable.Range(0, input.Rank).Select(a => LinearResampling.Axis(input[a], dims[a], scales[a], "asymmetric")).ToArray();
            context.Node.Parameters = new LinearResizeParameters(axes, "asymmetric");
            context.SetOutput(0, DataType.Float32, new Ir.Shape(dims));
            return;
        }

        context.Node.Parameters = new NearestResizeParameters(maps, "asymmetric", "floor");
        context.SetOutput(0, context.Input(0)!.Type, new Ir.Shape(dims));
    }

    public override void Evaluate(EvaluationContext context)
    {
        if (context.Node.Parameters is LinearResizeParameters linear)
        {
            LinearResampling.Apply(context.Input(0), linear.Axes, context.Output(0));
            return;
        }

        NearestResampling.Apply(context.Input(0), context.Parameters<NearestResizeParameters>().SourceIndex, context.Output(0));
    }
}
