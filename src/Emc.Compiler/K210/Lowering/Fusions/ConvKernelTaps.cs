using Emc.Compiler.Ops;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A conv's weights as taps of an undilated kernel: <c>Weights[o][c][y][x]</c> over <see cref="Height"/>×<see cref="Width"/>
/// with c over every input channel (regular) or only c = o (<see cref="Depthwise"/>, one input plane per output).
/// Dilation is expanded into zero taps and a grouped conv into a block-diagonal regular one, so every later step
/// sees one plain kernel; zero taps contribute exactly zero on the KPU (weights have an integer zero point).
/// </summary>
internal sealed record ConvKernelTaps(int OutChannels, int InChannels, int Height, int Width, bool Depthwise, float[] Weights)
{
    public int PlanesPerOutput => Depthwise ? 1 : InChannels;

    /// <summary>The ONNX conv's group count (its weights may already be expanded to block-diagonal form).</summary>
    public int Group { get; init; } = 1;

    public float this[int o, int c, int y, int x] => Weights[(((o * PlanesPerOutput) + c) * Height + y) * Width + x];

    public static ConvKernelTaps FromOnnx(ConvParameters p, float[] weights)
    {
        var g = p.Geometry;
        var taps = new ConvKernelTaps(g.OutputChannels, g.InputChannels, g.KernelHeight, g.KernelWidth, g.IsDepthwise, weights) { Group = g.Group };
        if (g.DilationHeight != 1 || g.DilationWidth != 1)
        {
            taps = DilatedKernelAsZeroFilled.Expand(taps, g.DilationHeight, g.DilationWidth);
        }

        if (g.Group != 1 && !g.IsDepthwise)
        {
            taps = GroupedConvAsBlockDiagonal.Expand(taps, g.Group);
        }

        return taps;
    }
}
