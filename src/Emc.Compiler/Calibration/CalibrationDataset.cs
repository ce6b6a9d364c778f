using Emc.Compiler.K210.Lowering;
using Emc.Diagnostics;

namespace Emc.Compiler.Calibration;

/// <summary>
/// The calibration samples as a stream: the sorted file list (or the seeded random fallback), decoded one sample at a
/// time each time it is read, so memory stays flat in the dataset's size. Every read yields the same samples in the
/// same order (files sorted by path, the random fallback from a fixed seed).
/// </summary>
internal sealed class CalibrationDataset
{
    private readonly IReadOnlyList<SampleSource> _sources;
    private readonly InputLayout _layout;
    private readonly Preprocessing _pre;
    private readonly Compilation.ChannelOrder _order;

    public CalibrationDataset(IReadOnlyList<SampleSource> sources, InputLayout layout, Preprocessing pre, Compilation.ChannelOrder order)
    {
        _sources = sources;
        _layout = layout;
        _pre = pre;
        _order = order;
    }

    /// <summary>How many samples the dataset lists (files, or the random fallback's count).</summary>
    public int Count => _sources.Count;

    /// <summary>The sample files in order (none for the random fallback).</summary>
    public IReadOnlyList<string> Files => [.. _sources.Where(s => s.File is not null).Select(s => s.File!)];

    /// <summary>Every listed sample in order, decoded one at a time: null where a file cannot be used (its diagnostic is added).</summary>
    public IEnumerable<CalibrationSample?> Decode(DiagnosticBag diagnostics)
    {
        foreach (var source in _sources)
        {
            yield return source.File is { } file
                ? DatasetLoader.LoadOne(file, _layout, _pre, _order, diagnostics)
                : DatasetLoader.Seeded(source.RandomIndex, _layout, _pre);
        }
    }

    /// <summary>The usable samples in order; a file that cannot be used adds its diagnostic and is skipped.</summary>
    public IEnumerable<CalibrationSample> Read(DiagnosticBag diagnostics) => Decode(diagnostics).OfType<CalibrationSample>();

    /// <summary>The samples at <paramref name="indices"/> (in that order), still undecoded.</summary>
    public CalibrationDataset Subset(IEnumerable<int> indices) => new([.. indices.Select(i => _sources[i])], _layout, _pre, _order);
}

