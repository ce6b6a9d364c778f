using BenchmarkDotNet.Attributes;
using Emc.Compiler.Evaluation.Kernels;

namespace Emc.Benchmarks;

/// <summary>Conv2D kernel on MobileNetV1-0.25 layer shapes (single thread): im2col+GEMM, depthwise, pointwise GEMM.</summary>
public class Conv2DBenchmarks
{
    public enum Layer
    {
        /// <summary>3→8, 3×3/2, 224² (im2col + GEMM, K = 27).</summary>
        First,

        /// <summary>8 channels, depthwise 3×3/1, 112².</summary>
        Depthwise112,

        /// <summary>16 channels, depthwise 3×3/2, 112² → 56².</summary>
        DepthwiseStride2,

        /// <summary>8→16 pointwise, 112² (GEMM on the input).</summary>
        Pointwise112,

        /// <summary>128→128 pointwise, 14².</summary>
        Pointwise14,

        /// <summary>64→64, 3×3/1, 28² dense (im2col + GEMM, K = 576).</summary>
        Dense3x3,
    }

    private Conv2DGeometry _g;
    private float[] _x = [], _w = [], _b = [], _y = [], _scratch = [];

    [Params(Layer.First, Layer.Depthwise112, Layer.DepthwiseStride2, Layer.Pointwise112, Layer.Pointwise14, Layer.Dense3x3)]
    public Layer Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _g = Shape switch
        {
            Layer.First => new Conv2DGeometry(1, 3, 224, 224, 8, 112, 112, 3, 3, 2, 2, 0, 0, 1, 1, 1),
            Layer.Depthwise112 => new Conv2DGeometry(1, 8, 112, 112, 8, 112, 112, 3, 3, 1, 1, 1, 1, 1, 1, 8),
            Layer.DepthwiseStride2 => new Conv2DGeometry(1, 16, 112, 112, 16, 56, 56, 3, 3, 2, 2, 0, 0, 1, 1, 16),
            Layer.Pointwise112 => new Conv2DGeometry(1, 8, 112, 112, 16, 112, 112, 1, 1, 1, 1, 0, 0, 1, 1, 1),
            Layer.Pointwise14 => new Conv2DGeometry(1, 128, 14, 14, 128, 14, 14, 1, 1, 1, 1, 0, 0, 1, 1, 1),
            _ => new Conv2DGeometry(1, 64, 28, 28, 64, 28, 28, 3, 3, 1, 1, 1, 1, 1, 1, 1),
        };
        var random = new Random(1);
        _x = Fill(random, _g.Batch * _g.InputChannels * _g.InputPlane);
        _w = Fill(random, _g.OutputChannels * _g.ReductionLength);
        _b = Fill(random, _g.OutputChannels);
        _y = new float[_g.Batch * _g.OutputChannels * _g.OutputPlane];
        _scratch = new float[Conv2D.ScratchLength(_g)];
    }

    [Benchmark]
    public void Conv() => Conv2D.Run(_g, _x, _w, _b, _y, _scratch);

    private static float[] Fill(Random random, int n) => Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
}
