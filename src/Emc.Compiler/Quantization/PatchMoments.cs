using System.Numerics;

namespace Emc.Compiler.Quantization;

/// <summary>Which input patches a KPU conv reads from one IR value: k×k windows ("same", zero padding) over all input
/// channels (regular) or over one channel (depthwise).</summary>
internal readonly record struct PatchShape(int KernelSize, bool Depthwise);

/// <summary>
/// First and second moments of the input patch vectors of a KPU conv, gathered from the float evaluator's values during
/// calibration: the statistics error-feedback weight rounding needs (<see cref="K210.Kpu.ErrorFeedbackRounding"/>). A
/// patch vector is laid out like one output channel's weights (OIHW: input channel, kernel row, kernel column); borders
/// read real zero, as the KPU's pad_value does. Regular convs keep one matrix of size (IC·k²)², depthwise convs one k²×k²
/// matrix per channel. Positions are subsampled deterministically (every n-th in raster order) so that one sample costs
/// at most <see cref="BudgetPerSample"/> multiply-adds.
/// </summary>
internal sealed class PatchMoments
{
    /// <summary>The largest patch vector gathered: beyond it the matrix and its factorization cost too much.</summary>
    public const int MaxSize = 1200;

    private const long BudgetPerSample = 1L << 25;

    private readonly PatchShape _shape;
    private readonly int _channels;
    private readonly int _size;
    private readonly double[] _sums;
    private readonly double[] _products;

    private PatchMoments(PatchShape shape, int channels)
    {
        _shape = shape;
        _channels = channels;
        int k2 = shape.KernelSize * shape.KernelSize;
        _size = shape.Depthwise ? k2 : channels * k2;
        int blocks = shape.Depthwise ? channels : 1;
        _sums = new double[blocks * _size];
        _products = new double[blocks * _size * _size];
    }

    /// <summary>Patch vectors counted so far (per channel for depthwise).</summary>
    public long Count { get; private set; }

    /// <summary>Length of one patch vector (= the conv's weights per output channel).</summary>
    public int Size => _size;

    /// <summary>An accumulator for a value of <paramref name="channels"/> channels, or null when the patch vector would
    /// exceed <see cref="MaxSize"/>.</summary>
    public static PatchMoments? Create(PatchShape shape, int channels) =>
        (shape.Depthwise ? 1 : channels) * shape.KernelSize * shape.KernelSize is var n && n <= MaxSize && channels > 0
            ? new PatchMoments(shape, channels) : null;

    /// <summary>Adds the patches of an NCHW tensor (any batch size); a tensor of another channel count is ignored.</summary>
    public void Observe(ReadOnlySpan<float> data, IReadOnlyList<int> shape)
    {
        if (shape.Count != 4 || shape[1] != _channels)
        {
            return;
        }

        int batch = shape[0], height = shape[2], width = shape[3];
        int plane = height * width;
        int k = _shape.KernelSize, pad = k / 2;
        long perPatch = (long)_size * _size * (_shape.Depthwise ? _channels : 1);
        int step = (int)Math.Max(1, Math.Min(plane, (long)plane * batch * perPatch / BudgetPerSample));
        var patch = new double[_size];
        for (int n = 0; n < batch; n++)
        {
            var image = data.Slice(n * _channels * plane, _channels * plane);
            for (int p = 0; p < plane; p += step)
            {
                int y = p / width, x = p % width;
                if (_shape.Depthwise)
                {
                    for (int c = 0; c < _channels; c++)
                    {
                        Gather(image.Slice(c * plane, plane), height, width, y - pad, x - pad, k, patch);
                        Add(patch, c);
                    }
                }
                else
                {
                    for (int c = 0; c < _channels; c++)
                    {
                        Gather(image.Slice(c * plane, plane), height, width, y - pad, x - pad, k, patch.AsSpan(c * k * k, k * k));
                    }

                    Add(patch, 0);
                }

                Count++;
            }
        }
    }

    /// <summary>The patch vectors' covariance E[x xᵀ] − E[x] E[x]ᵀ (row-major, <see cref="Size"/>²) for output channel
    /// <paramref name="channel"/> (depthwise) or every channel; null before any patch.</summary>
    public double[]? Matrix(int channel)
    {
        if (Count == 0)
        {
            return null;
        }

        int block = _shape.Depthwise ? channel : 0;
        int n = _size;
        var sums = _sums.AsSpan(block * n, n);
        var products = _products.AsSpan(block * n * n, n * n);
        var m = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                double v = (products[(i * n) + j] / Count) - (sums[i] / Count * (sums[j] / Count));
                m[(i * n) + j] = v;
                m[(j * n) + i] = v;
            }
        }

        return m;
    }

    private static void Gather(ReadOnlySpan<float> plane, int height, int width, int top, int left, int k, Span<double> into)
    {
        for (int dy = 0; dy < k; dy++)
        {
            int y = top + dy;
            for (int dx = 0; dx < k; dx++)
            {
                int x = left + dx;
                into[(dy * k) + dx] = y >= 0 && y < height && x >= 0 && x < width ? plane[(y * width) + x] : 0;
            }
        }
    }

    /// <summary>Adds x and the upper triangle of x xᵀ to block <paramref name="block"/>. Lane-wise vector arithmetic
    /// gives the same doubles as scalar code, so the sums do not depend on the machine's vector width.</summary>
    private void Add(double[] x, int block)
    {
        int n = _size;
        var sums = _sums.AsSpan(block * n, n);
        var products = _products.AsSpan(block * n * n, n * n);
        for (int i = 0; i < n; i++)
        {
            double xi = x[i];
            if (xi == 0)
            {
                continue;
            }

            sums[i] += xi;
            var row = products.Slice((i * n) + i, n - i);
            var tail = x.AsSpan(i, n - i);
            int j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var scale = new Vector<double>(xi);
                for (; j + Vector<double>.Count <= row.Length; j += Vector<double>.Count)
                {
                    var r = new Vector<double>(row.Slice(j));
                    (r + (scale * new Vector<double>(tail.Slice(j)))).CopyTo(row.Slice(j));
                }
            }

            for (; j < row.Length; j++)
            {
                row[j] += xi * tail[j];
            }
        }
    }
}
