namespace Emc.Kmodel.Simulation;

/// <summary>Grow-only work arrays shared by the layers of one simulator: after the first run nothing is allocated.</summary>
internal sealed class ScratchBuffers
{
    private byte[] _input = [];
    private byte[] _plane = [];
    private byte[] _output = [];
    private short[] _panels = [];
    private int[] _p = [];
    private int[] _sx = [];
    private long[] _sxTerm = [];
    private byte[] _paddedInput = [];
    private byte[] _columns = [];
    private int[] _padded = [];
    private int[] _rowAcc = [];
    private int[] _rowSx = [];

    public Span<byte> Input(int n) => Get(ref _input, n);

    public Span<byte> Plane(int n) => Get(ref _plane, n);

    public Span<byte> Output(int n) => Get(ref _output, n);

    public Span<short> Panels(int n) => Get(ref _panels, n);

    public Span<int> P(int n) => Get(ref _p, n);

    public Span<int> Sx(int n) => Get(ref _sx, n);

    public Span<long> SxTerm(int n) => Get(ref _sxTerm, n);

    public Span<byte> PaddedInput(int n) => Get(ref _paddedInput, n);

    public Span<byte> Columns(int n) => Get(ref _columns, n);

    public Span<int> Padded(int n) => Get(ref _padded, n);

    public Span<int> RowAcc(int n) => Get(ref _rowAcc, n);

    public Span<int> RowSx(int n) => Get(ref _rowSx, n);

    private static Span<T> Get<T>(ref T[] array, int n)
    {
        if (array.Length < n)
        {
            array = new T[Math.Max(n, array.Length + (array.Length / 2))];
        }

        return array.AsSpan(0, n);
    }
}
