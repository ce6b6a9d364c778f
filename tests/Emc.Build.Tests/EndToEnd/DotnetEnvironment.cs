namespace Emc.Build.Tests.EndToEnd;

internal static class DotnetEnvironment
{
    public static Dictionary<string, string> Base() => new()
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        // Keep the test's own MSBuild settings out of child builds.
        ["MSBuildExtensionsPath"] = "",
        ["MSBUILD_EXE_PATH"] = "",
        ["MSBuildSDKsPath"] = "",
    };
}
