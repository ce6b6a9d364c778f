namespace Emc.Build.Tasks;

/// <summary>
/// The <c>dotnet</c> that runs the tool: the one running this build (the SDK sets DOTNET_HOST_PATH for MSBuild
/// and its tasks), else the first on PATH — e.g. Visual Studio's MSBuild, which does not set the variable.
/// </summary>
internal static class DotnetHost
{
    public static string FileName => Path.DirectorySeparatorChar == '\\' ? "dotnet.exe" : "dotnet";

    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split([Path.PathSeparator], StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder.Trim('"'), FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
