using System.Globalization;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops.Support;

namespace Emc.Compiler.Ops;

/// <summary>DepthToSpace's block size and channel order: out[c, h·bs + a, w·bs + b] = in[(a·bs + b)·C + c] (DCR) or
/// in[c·bs² + a·bs + b] (CRD).</summary>
internal sealed record DepthToSpaceParameters(int BlockSize, bool ColumnRowDepth)
{
    /// <summary>The input channel that holds output channel <paramref name="c"/>'s phase (a, b), of <paramref name="channels"/> output channels.</summary>
    public int InputChannel(int c, int a, int b, int channels) =>
        ColumnRowDepth ? (c * BlockSize * BlockSize) + (a * BlockSize) + b : (((a * BlockSize) + b) * channels) + c;
}

/// <summary>DepthToSpace (opsets 1–22; mode from 11), rank 4 (PixelShuffle, sub-pixel convolution).</summary>
internal sealed class DepthToSpace : Operator
{
    public override string OpType => "DepthToSpace";

    public override void Infer(InferenceContext context)
    {
        var x = OpChecks.FloatInput(context, 0, "input");
        if (x is null || !OpChecks.RequireRank4(context, x, "DepthToSpace"))
        {
            return;
        }

        long blockSize = context.GetInt("blocksize", 0);
        string mode = context.Opset >= 11 ? context.GetString("mode", "DCR") : "DCR";
        if (context.Failed)
        {
            return;
        }

        if (mode is not ("DCR" or "CRD"))
        {
            context.UnsupportedAttribute("mode", mode, "DCR, CRD");
            return;
        }

        if (blockSize < 1 || blockSize > 1024 || x[1] % (blockSize * blockSize) != 0)
        {
            context.Invalid(string.Create(CultureInfo.InvariantCulture, $"blocksize {blockSize} must be ≥ 1 with blocksize² dividing the {x[1]} channels"));
            return;
        }

        int bs = (int)blockSize;
        context.Node.Parameters = new DepthToSpaceParameters(bs, mode == "CRD");
        context.SetOutput(0, DataType.Float32, new Shape(x[0], x[1] / (bs * bs), x[2] * bs, x[3] * bs));
    }

    public override void Evaluate(EvaluationContext context)
    {
        var p = context.Parameters<DepthToSpaceParameters>();
        var input = context.Input<float>(0).Span;
        var output = context.Output<float>(0).Span;
        var shape = context.Input(0).Shape;
        int n = shape[0], channels = shape[1] / (p.BlockSize * p.BlockSize), h = shape[2], w = shape[3], bs = p.BlockSize;
        int plane = h * w;
        for (int batch = 0; batch < n; batch++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int a = 0; a < bs; a++)
                {
                    for (int b = 0; b < bs; b++)
                    {
                        var source = input.Slice(((batch * shape[1]) + p.InputChannel(c, a, b, channels)) * plane, plane);
                        int target = ((batch * channels) + c) * plane * bs * bs;
                        for (int i = 0; i < h; i++)
                        {
                            for (int j = 0; j < w; j++)
                            {
                                output[target + (((i * bs) + a) * w * bs) + (j * bs) + b] = source[(i * w) + j];
                            }
                        }
                    }
                }
            }
        }
    }
}
