namespace Emc.Imaging.Jpeg;

/// <summary>One frame component: sampling factors, quantisation table, its coefficient blocks and decoded plane.</summary>
internal sealed class JpegComponent
{
    public JpegComponent(int id, int h, int v, int quantTable)
    {
        Id = id;
        H = h;
        V = v;
        QuantTable = quantTable;
    }

    public int Id { get; }

    public int H { get; }

    public int V { get; }

    public int QuantTable { get; }

    /// <summary>Samples per line actually in the image: ceil(imageWidth · H / Hmax).</summary>
    public int DownsampledWidth { get; set; }

    public int DownsampledHeight { get; set; }

    /// <summary>Blocks per line/column allocated (padded to whole MCUs).</summary>
    public int BlocksPerLine { get; set; }

    public int BlocksPerColumn { get; set; }

    /// <summary>Blocks per line/column that carry image data (a non-interleaved scan codes exactly these).</summary>
    public int UsedBlocksPerLine { get; set; }

    public int UsedBlocksPerColumn { get; set; }

    /// <summary>Quantised DCT coefficients, 64 per block in natural (row-major) order, blocks row-major.</summary>
    public short[] Coefficients { get; set; } = [];

    public int DcPredictor { get; set; }

    public int DcTable { get; set; }

    public int AcTable { get; set; }

    public Span<short> Block(int row, int col) => Coefficients.AsSpan(((row * BlocksPerLine) + col) * 64, 64);
}
