namespace Emc.Build.Tool;

/// <summary>Names of the item metadata the targets and tasks exchange (user-facing ones are documented in the README).</summary>
internal static class ModelMetadata
{
    // User-facing (EmcModel item).
    public const string Dataset = "Dataset";
    public const string InputRange = "InputRange";
    public const string Mean = "Mean";
    public const string Std = "Std";
    public const string ChannelOrder = "ChannelOrder";
    public const string WeightBits = "WeightBits";
    public const string Calibration = "Calibration";
    public const string ActivationRanges = "ActivationRanges";
    public const string WeightRounding = "WeightRounding";
    public const string FineActivations = "FineActivations";
    public const string MaxCalibrationSamples = "MaxCalibrationSamples";
    public const string FullyConnected = "FullyConnected";
    public const string InputShape = "InputShape";
    public const string Outputs = "Outputs";
    public const string Tail = "Tail";
    public const string DeviceMemory = "DeviceMemory";
    public const string OutputName = "OutputName";
    public const string Namespace = "Namespace";
    public const string ClassName = "ClassName";
    public const string Access = "Access";
    public const string GenerateCHeader = "GenerateCHeader";
    public const string GenerateCSharp = "GenerateCSharp";
    public const string Report = "Report";
    public const string EmbedAsResource = "EmbedAsResource";
    public const string KfpkgAddress = "KfpkgAddress";
    public const string CopyToOutputDirectory = "CopyToOutputDirectory";

    // Computed by EmcResolveModels.
    public const string KmodelFile = "KmodelFile";
    public const string HeaderFile = "HeaderFile";
    public const string CSharpFile = "CSharpFile";
    public const string ReportFile = "ReportFile";
    public const string OptionsFile = "OptionsFile";
    public const string OptionsText = "OptionsText";
    public const string MarkerFile = "MarkerFile";
    public const string DiagnosticsFile = "DiagnosticsFile";
    public const string DatasetFiles = "DatasetFiles";
    public const string ResourceName = "ResourceName";
    public const string SourceItem = "SourceItem";
    public const string CSharpUtf8Literal = "CSharpUtf8Literal";
}
