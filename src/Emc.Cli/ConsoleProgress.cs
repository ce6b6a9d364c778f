using System.Diagnostics;

namespace Emc.Cli;

/// <summary>
/// Progress of long steps (calibration, accuracy simulation, eval) on stderr — only when stderr is a terminal
/// (<see cref="Console.IsErrorRedirected"/> false), so redirected output, pipes and MSBuild see nothing extra.
/// On a terminal one line is rewritten in place (at most ten times a second) and cleared at the end.
/// </summary>
public sealed class ConsoleProgress : IDisposable
{
    private readonly string _prefix;
    private readonly TextWriter? _writer;
    private readonly bool _inPlace;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastShown = -1000;
    private int _lastLength;

    private ConsoleProgress(string prefix, TextWriter? writer, bool inPlace)
    {
        _prefix = prefix;
        _writer = writer;
        _inPlace = inPlace;
    }

    /// <summary><paramref name="enabled"/>: null = only when stderr is a terminal; true = always, one line per message
    /// (tests); false = never.</summary>
    public static ConsoleProgress Create(string prefix, TextWriter stderr, bool? enabled)
    {
        bool terminal = !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error);
        bool on = enabled ?? terminal;
        return new ConsoleProgress(prefix, on ? stderr : null, on && terminal);
    }

    public bool Enabled => _writer is not null;

    public void Report(string message)
    {
        if (_writer is null)
        {
            return;
        }

        if (!_inPlace)
        {
            _writer.WriteLine($"{_prefix}: {message}");
            return;
        }

        long now = _clock.ElapsedMilliseconds;
        if (now - _lastShown < 100)
        {
            return;
        }

        _lastShown = now;
        string line = $"{_prefix}: {message}";
        _writer.Write("\r" + line + new string(' ', Math.Max(0, _lastLength - line.Length)));
        _lastLength = line.Length;
        _writer.Flush();
    }

    /// <summary>Clears the in-place line.</summary>
    public void Done()
    {
        if (_writer is not null && _inPlace && _lastLength > 0)
        {
            _writer.Write("\r" + new string(' ', _lastLength) + "\r");
            _writer.Flush();
            _lastLength = 0;
        }
    }

    public void Dispose() => Done();
}
