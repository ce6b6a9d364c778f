namespace Emc.Build.Tool;

/// <summary>The true/false metadata of an EmcModel item and what they switch on (compiler-free: the task reads them too).</summary>
internal static class ModelSwitches
{
    /// <summary>Report: empty or true → JSON, Html → the self-contained HTML page, false → none.</summary>
    public static bool WritesReport(IModelItem item) => Flag(item, ModelMetadata.Report, true) || ReportIsHtml(item);

    public static bool ReportIsHtml(IModelItem item) =>
        string.Equals(item.GetMetadata(ModelMetadata.Report), "html", StringComparison.OrdinalIgnoreCase);

    public static bool Flag(IModelItem item, string name, bool fallback)
    {
        string value = item.GetMetadata(name);
        return value.Length == 0 ? fallback : string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
    }
}
