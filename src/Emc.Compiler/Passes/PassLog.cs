namespace Emc.Compiler.Passes;

/// <summary>How often each pass applied during one compilation (fusions and lowerings count their matches).</summary>
public sealed class PassLog
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Record(IPass pass, int times = 1) => Record(pass.Name, times);

    public void Record(string name, int times) => _counts[name] = _counts.GetValueOrDefault(name) + times;

    public int Count(string name) => _counts.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, int> Counts => _counts;
}
