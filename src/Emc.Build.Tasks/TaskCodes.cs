namespace Emc.Build.Tasks;

/// <summary>
/// The EMC codes the task itself reports (docs/errors.md). The tool declares the same codes as descriptors
/// (BuildDiagnostics, CompilerDiagnostics); the task keeps only the strings, so it needs no compiler code.
/// </summary>
internal static class TaskCodes
{
    public const string DatasetFile = "EMC0603";
    public const string InvalidMetadata = "EMC0801";
    public const string ModelFileMissing = "EMC0802";
    public const string DuplicateOutputName = "EMC0803";
    public const string DatasetMissing = "EMC0804";
    public const string OutputWriteFailed = "EMC0805";
    public const string CompilerUnavailable = "EMC0806";
    public const string InternalError = "EMC0807";
    public const string KfpkgInvalidEntry = "EMC0810";
    public const string KfpkgOverlap = "EMC0811";
    public const string DuplicateClassName = "EMC0813";
    public const string ReservedHeaderName = "EMC0814";
}
