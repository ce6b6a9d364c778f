namespace Emc.Compiler.Passes;

/// <summary>How often each pass applied during one compilation (fusions and lowerings count their matches).</summary>
public sealed class PassLog
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Record(IPass pass, int times = 1) => Record(pass.Name, times);

    public void Record(string name, int times) => _counts[name] = _counts.GetValueOrDefault(name) + times;

    public int Count(string name) => _counts.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, int> Counts => _counts;

    /// <summary>Puts the counts back to an earlier <see cref="Snapshot"/> (a stage that redoes earlier stages).</summary>
    public void Restore(IReadOnlyDictionary<string, int> snapshot)
    {
        _counts.Clear();
        foreach (var (name, count) in snapshot)
        {
            _counts[name] = count;
        }
    }

    public IReadOnlyDictionary<string, int> Snapshot() => new Dictionary<string, int>(_counts, StringComparer.Ordinal);
}
