using System.Text.Json;
using Emc.Build.Tests.Support;
using Emc.Build.Tests.Tasks;

namespace Emc.Build.Tests.EndToEnd;

/// <summary>
/// Issue 12: which task assembly, compiler tool and runtime folder the packed Emc.Sdk's targets select in each
/// MSBuild flavour, read with <c>dotnet msbuild -getProperty</c>. MSBuild on .NET reports
/// <c>$(MSBuildRuntimeType)</c> 'Core'; Visual Studio's MSBuild.exe reports 'Full' and cannot run here, and the
/// property is reserved (MSB4177: no <c>-p:</c> override), so the 'Full' case evaluates a copy of the package whose
/// .props/.targets have <c>$(MSBuildRuntimeType)</c> replaced by <c>Full</c>: whatever the targets decide from the
/// runtime type is then decided as desktop MSBuild would.
/// </summary>
[TestClass]
public sealed class TaskAssemblySelectionTests
{
    private const string Properties = "MSBuildRuntimeType;EmcTaskAssembly;EmcCompilerToolPath;EmcRuntimeDirectory";

    [TestMethod]
    [Timeout(300000)]
    public void MsBuildOnDotnetSelectsTheNetStandardTaskAndTheNet8Tool()
    {
        using var project = new TestProject();
        project.Write("app.csproj", TestProject.LibraryProject("""<EmcModel Include="net.onnx" />"""));
        var environment = project.Environment();
        environment["EMC_COMPILER_TOOL"] = "";
        Assert.AreEqual(0, ProcessRunner.Run("dotnet", ["restore", "-nologo"], project.Root, environment).ExitCode);

        var values = Evaluate(project.Root, "app.csproj", environment);

        string package = Path.Combine(PackagedSdk.PackagesFolder, "emc.sdk", PackagedSdk.Version);
        Assert.AreEqual("Core", values["MSBuildRuntimeType"]);
        AssertPackageSelection(package, values);
    }

    [TestMethod]
    [Timeout(300000)]
    public void DesktopMsBuildSelectsTheSameNetStandardTaskAndTheNet8Tool()
    {
        using var project = new TestProject();
        project.Write("app.csproj", TestProject.LibraryProject("""<EmcModel Include="net.onnx" />"""));
        var environment = project.Environment();
        environment["EMC_COMPILER_TOOL"] = "";
        Assert.AreEqual(0, ProcessRunner.Run("dotnet", ["restore", "-nologo"], project.Root, environment).ExitCode);
        string package = project.PathOf("full/emc.sdk");
        Copy(Path.Combine(PackagedSdk.PackagesFolder, "emc.sdk", PackagedSdk.Version), package);
        foreach (string file in Directory.EnumerateFiles(package, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".props", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal)))
        {
            File.WriteAllText(file, File.ReadAllText(file).Replace("$(MSBuildRuntimeType)", "Full", StringComparison.Ordinal));
        }

        // The package's PackageReference entry points, imported from the rewritten copy.
        project.Write("full.csproj", """
            <Project>
              <Import Project="Sdk.props" Sdk="Microsoft.NET.Sdk" />
              <Import Project="full/emc.sdk/build/Emc.Sdk.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <EmcModel Include="net.onnx" />
              </ItemGroup>
              <Import Project="Sdk.targets" Sdk="Microsoft.NET.Sdk" />
              <Import Project="full/emc.sdk/build/Emc.Sdk.targets" />
            </Project>
            """);

        var values = Evaluate(project.Root, "full.csproj", environment);

        AssertPackageSelection(package, values);
    }

    private static void AssertPackageSelection(string package, Dictionary<string, string> values)
    {
        string task = Path.Combine(package, "tasks", "netstandard2.0", "Emc.Build.Tasks.dll");
        Assert.AreEqual(Path.GetFullPath(task), Path.GetFullPath(values["EmcTaskAssembly"]));
        Assert.AreEqual(Path.GetFullPath(Path.Combine(package, "tools", "net8.0", "Emc.Build.Tool.dll")), Path.GetFullPath(values["EmcCompilerToolPath"]));
        Assert.AreEqual(Path.GetFullPath(Path.Combine(package, "tools", "net8.0")) + Path.DirectorySeparatorChar, Path.GetFullPath(values["EmcRuntimeDirectory"]));
        Assert.IsTrue(File.Exists(Path.Combine(values["EmcRuntimeDirectory"], "Emc.Kmodel.dll")), "the wrappers' runtime is in the tool folder");

        // The packed task is the thin one: netstandard2.0, nothing but netstandard and MSBuild, alone in its folder.
        var (references, framework) = TaskAssemblyReferencesTests.Read(task);
        Assert.AreEqual(".NETStandard,Version=v2.0", framework);
        CollectionAssert.IsSubsetOf(references, new[] { "netstandard", "Microsoft.Build.Framework", "Microsoft.Build.Utilities.Core" }, string.Join(", ", references));
        CollectionAssert.AreEqual(new[] { "Emc.Build.Tasks.dll" }, Directory.GetFiles(Path.GetDirectoryName(task)!, "*.dll").Select(Path.GetFileName).ToList());
    }

    private static Dictionary<string, string> Evaluate(string folder, string project, Dictionary<string, string> environment)
    {
        var result = ProcessRunner.Run("dotnet", ["msbuild", project, "-nologo", .. Properties.Split(';').Select(p => "-getProperty:" + p)], folder, environment);
        Assert.AreEqual(0, result.ExitCode, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }

    private static void Copy(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
