using Emc.Build.Tests.Support;
using Microsoft.Build.Logging.StructuredLogger;

namespace Emc.Build.Tests.EndToEnd;

/// <summary>A throwaway folder with NuGet.config and projects that consume Emc.Sdk from the local feed.</summary>
public sealed class TestProject : IDisposable
{
    private readonly TempDirectory _dir = new("emc-e2e");
    private int _builds;

    public TestProject(bool fakeCompiler = true)
    {
        FakeCompiler = fakeCompiler;
        File.WriteAllText(Path.Combine(Root, "NuGet.config"), PackagedSdk.NuGetConfig);
        // Isolate from the repository's Directory.Build.* and global.json files.
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), "<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>");
    }

    public bool FakeCompiler { get; }

    public string Root => _dir.Path;

    public string CompileLog => Path.Combine(Root, "compiled.log");

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string text)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Write(string relative, byte[] bytes)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>A net10.0 class library (no apphost: nothing to download) referencing Emc.Sdk.</summary>
    public static string LibraryProject(string items, string extra = "") => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <RootNamespace>Sample</RootNamespace>
            {extra}
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Emc.Sdk" Version="{PackagedSdk.Version}" PrivateAssets="all" />
          </ItemGroup>
          <ItemGroup>
            {items}
          </ItemGroup>
        </Project>
        """;

    /// <summary>Lines the fake compiler appended (one per compiled model), so far.</summary>
    public List<string> Compiled() => File.Exists(CompileLog) ? [.. File.ReadAllLines(CompileLog)] : [];

    public BuildRun Dotnet(params string[] arguments)
    {
        string binlog = PathOf($"build{++_builds}.binlog");
        var result = ProcessRunner.Run("dotnet", [.. arguments, "-bl:" + binlog, "-nologo", "-clp:NoSummary"], Root, Environment());
        return new BuildRun(result, binlog);
    }

    /// <summary>The environment of <see cref="Dotnet"/>: isolated packages, the compile log, the fake tool.</summary>
    public Dictionary<string, string> Environment()
    {
        var environment = DotnetEnvironment.Base();
        environment["NUGET_PACKAGES"] = PackagedSdk.PackagesFolder;
        environment["EMC_FAKE_COMPILER_LOG"] = CompileLog;
        environment["EMC_COMPILER_TOOL"] = FakeCompiler ? PackagedSdk.FakeCompiler : "";
        return environment;
    }

    public void Dispose() => _dir.Dispose();
}

public sealed record BuildRun(ProcessResult Process, string Binlog)
{
    public bool Succeeded => Process.ExitCode == 0;

    public string Output => Process.Output;

    /// <summary>How many times the EmcCompileModels task actually executed (from the binary log).</summary>
    public int CompileTaskRuns() => CompileTasks().Count;

    /// <summary>The EmcCompileModels task runs in the binary log (each one run of the compiler tool).</summary>
    public IReadOnlyList<Microsoft.Build.Logging.StructuredLogger.Task> CompileTasks() =>
        BinaryLog.ReadBuild(Binlog).FindChildrenRecursive<Microsoft.Build.Logging.StructuredLogger.Task>(t => t.Name == "EmcCompileModels");

    /// <summary>The per-model summary lines of the output (one per compiled model).</summary>
    public List<string> SummaryLines() =>
        [.. Output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Emc: EmcModel '", StringComparison.Ordinal) && l.Contains(") -> ", StringComparison.Ordinal))];

    /// <summary>Texts of the binlog's messages that match.</summary>
    public List<string> Messages(Func<string, bool> match) =>
        [.. BinaryLog.ReadBuild(Binlog).FindChildrenRecursive<Message>(m => m.Text is not null && match(m.Text)).Select(m => m.Text)];

    /// <summary>True when the binlog shows the target was skipped because its outputs were up to date.</summary>
    public bool TargetSkippedAsUpToDate(string target)
    {
        var build = BinaryLog.ReadBuild(Binlog);
        var targets = build.FindChildrenRecursive<Target>(t => t.Name == target);
        return targets.Count > 0 && targets.All(t => !t.Children.OfType<Microsoft.Build.Logging.StructuredLogger.Task>().Any());
    }

    public override string ToString() => Process.ToString();
}
