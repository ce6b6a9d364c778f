using System.Text;

namespace Emc.Build.Tool;

/// <summary>
/// The response file the task hands the tool: one line per fact, so no shell quoting is involved.
/// <code>
/// emc-compile 1
/// warnings-as-errors true|false
/// replay-diagnostics true|false   (true: a successful model's warnings are left to EmcReplayDiagnostics)
/// model &lt;full path of the .onnx&gt;
/// meta &lt;name&gt;=&lt;value&gt;      (every custom metadata of the resolved item that precedes it)
/// </code>
/// Values are escaped (backslash, CR, LF) so any metadata text survives on one line. Compiler-free: the task writes it.
/// </summary>
internal sealed class ModelRequest(bool treatWarningsAsErrors, bool replayDiagnostics, IReadOnlyList<ModelItem> models)
{
    private const string Header = "emc-compile 1";

    public bool TreatWarningsAsErrors { get; } = treatWarningsAsErrors;

    public bool ReplayDiagnostics { get; } = replayDiagnostics;

    public IReadOnlyList<ModelItem> Models { get; } = models;

    public string Format()
    {
        var text = new StringBuilder(Header).Append('\n');
        text.Append("warnings-as-errors ").Append(TreatWarningsAsErrors ? "true" : "false").Append('\n');
        text.Append("replay-diagnostics ").Append(ReplayDiagnostics ? "true" : "false").Append('\n');
        foreach (var model in Models)
        {
            text.Append("model ").Append(LineEscape.Escape(model.ItemSpec)).Append('\n');
            foreach (string name in model.MetadataNames)
            {
                text.Append("meta ").Append(name).Append('=').Append(LineEscape.Escape(model.GetMetadata(name))).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <returns>The request, or null with <paramref name="error"/> saying what is wrong.</returns>
    public static ModelRequest? Parse(string text, out string? error)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.Length == 0 || lines[0] != Header)
        {
            error = $"not an Emc.Build.Tool request (first line must be '{Header}')";
            return null;
        }

        bool asErrors = false, replay = false;
        var models = new List<ModelItem>();
        foreach (string line in lines.Skip(1).Where(l => l.Length > 0))
        {
            int space = line.IndexOf(' ');
            string key = space < 0 ? line : line.Substring(0, space);
            string rest = space < 0 ? "" : line.Substring(space + 1);
            switch (key)
            {
                case "warnings-as-errors":
                    asErrors = rest == "true";
                    break;
                case "replay-diagnostics":
                    replay = rest == "true";
                    break;
                case "model":
                    models.Add(new ModelItem(LineEscape.Unescape(rest)));
                    break;
                case "meta" when models.Count > 0 && rest.IndexOf('=') > 0:
                    int equals = rest.IndexOf('=');
                    models[models.Count - 1].SetMetadata(rest.Substring(0, equals), LineEscape.Unescape(rest.Substring(equals + 1)));
                    break;
                default:
                    error = $"unexpected request line '{LineEscape.Escape(line)}'";
                    return null;
            }
        }

        error = null;
        return new ModelRequest(asErrors, replay, models);
    }
}
