using Emc.Build.Tests.Support;
using Emc.Tests;

namespace Emc.Build.Tests.EndToEnd;

/// <summary>
/// The Emc.Sdk package packed ONCE per test run into a local folder feed, plus an isolated NUGET_PACKAGES folder
/// (packages are immutable in a cache, so a shared cache would keep a stale Emc.Sdk). Test projects restore only
/// from that feed: nothing is downloaded.
/// </summary>
public static class PackagedSdk
{
    public const string Version = "0.1.0-e2e";

    private static readonly Lazy<string> s_root = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Root => s_root.Value;

    public static string Feed => Path.Combine(Root, "feed");

    public static string PackagesFolder => Path.Combine(Root, "packages");

    /// <summary>The fake compiler tool (an exe with its runtimeconfig, copied here as a referenced project).</summary>
    public static string FakeCompiler => Path.Combine(AppContext.BaseDirectory, "Emc.Build.FakeCompiler.dll");

    public static string NuGetConfig => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="emc-local" value="{Feed}" />
          </packageSources>
        </configuration>
        """;

    private static string Pack()
    {
        string root = Path.Combine(Path.GetTempPath(), "emc-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        string project = Path.Combine(TestData.RepositoryRoot, "src", "Emc.Build.Sdk", "Emc.Build.Sdk.csproj");
        var result = ProcessRunner.Run("dotnet", ["pack", project, "-c", "Release", "-o", Path.Combine(root, "feed"), "-p:PackageVersion=" + Version, "-nologo"],
            TestData.RepositoryRoot, DotnetEnvironment.Base());
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed: " + result);
        }

        return root;
    }
}
