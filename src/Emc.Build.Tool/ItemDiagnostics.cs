using Emc.Diagnostics;

namespace Emc.Build.Tool;

/// <summary>
/// Compiler diagnostics as the build shows them: in MSBuild's terms (the Dataset metadata, not --dataset) and naming
/// the EmcModel item and its output name, so two items compiling one .onnx can be told apart.
/// </summary>
internal static class ItemDiagnostics
{
    /// <summary>EMC0602: the compiler's no-dataset fallback.</summary>
    public const string NoDatasetCode = "EMC0602";

    public static Diagnostic ForItem(Diagnostic d, IModelItem model)
    {
        string message = d.Code == NoDatasetCode
            ? "no calibration dataset given: the EmcModel item has no Dataset metadata, so activation ranges come from random inputs; set Dataset=\"calib/\" (a folder or files of representative inputs) for a usable model"
            : d.Message;
        return message.StartsWith("EmcModel '", StringComparison.Ordinal) ? d with { Message = message } : d with { Message = $"{Name(model)}: {message}" };
    }

    /// <summary><c>EmcModel 'models/net.onnx' (net)</c>: the item as written in the project, and its output name.</summary>
    public static string Name(IModelItem model)
    {
        string source = model.GetMetadata(ModelMetadata.SourceItem);
        return $"EmcModel '{(source.Length > 0 ? source : model.ItemSpec)}' ({model.GetMetadata(ModelMetadata.OutputName)})";
    }
}
