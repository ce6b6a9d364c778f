using Emc.Build.Tests.Support;
using Emc.Compiler.CodeGen;
using Emc.Tests;

namespace Emc.Build.Tests.EndToEnd;

[TestClass]
[TestCategory(TestCategories.EndToEnd)]
public sealed class DesignTimeAndSdkTests
{
    [TestMethod]
    public void DesignTimeBuildSeesTheGeneratedWrapperWithoutCompilingModels()
    {
        using var project = new TestProject();
        project.Write("models/net.onnx", SampleModels.TinyCnn());
        project.Write("app.csproj", TestProject.LibraryProject("""<EmcModel Include="models/net.onnx" />"""));
        Assert.IsTrue(project.Dotnet("restore").Succeeded);

        var run = project.Dotnet("msbuild", "-t:Compile", "-p:DesignTimeBuild=true", "-p:BuildingProject=false",
            "-p:SkipCompilerExecution=true", "-p:ProvideCommandLineArgs=true", "-getItem:CscCommandLineArgs");
        Assert.IsTrue(run.Succeeded, run.ToString());
        string wrapper = project.PathOf("obj/Debug/net10.0/emc/net.g.cs");
        StringAssert.Contains(run.Output, wrapper, "the generated wrapper reaches the compiler's command line");
        Assert.IsTrue(File.Exists(wrapper));
        StringAssert.Contains(File.ReadAllText(wrapper), "public static partial class Net");
        Assert.IsEmpty(project.Compiled(), "a design-time build must not compile models");
        Assert.IsFalse(File.Exists(project.PathOf("obj/Debug/net10.0/emc/net.kmodel")));

        // The real build then compiles (the placeholder does not fool it) and the DTB keeps the real wrapper.
        var build = project.Dotnet("build");
        Assert.IsTrue(build.Succeeded, build.ToString());
        Assert.HasCount(1, project.Compiled());
        string real = File.ReadAllText(wrapper);
        Assert.DoesNotContain("Design-time placeholder", real);
        Assert.IsTrue(project.Dotnet("msbuild", "-t:Compile", "-p:DesignTimeBuild=true", "-p:BuildingProject=false", "-p:SkipCompilerExecution=true").Succeeded);
        Assert.AreEqual(real, File.ReadAllText(wrapper));
    }

    /// <summary>Additive project-SDK form, hostile file and node names, and the header compiled by gcc and g++.</summary>
    [TestMethod]
    public void SdkFormWithHostileNamesBuildsCSharpAndAHeaderThatGccAndGppCompile()
    {
        using var project = new TestProject();
        project.Write("models/my-net (1).onnx", SampleModels.TinyCnn(prefix: "é*/\"\n"));
        project.Write("Uses.cs", """
            namespace Sample;
            public static class Uses { public static string Name() => MyNet1.Input0Name + MyNet1.SourceFile + MyNet1.Output0Name; }
            """);
        project.Write("global.json", $$"""{ "msbuild-sdks": { "Emc.Sdk": "{{PackagedSdk.Version}}" } }""");
        project.Write("app.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <Sdk Name="Emc.Sdk" />
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><RootNamespace>Sample</RootNamespace></PropertyGroup>
              <ItemGroup><EmcModel Include="models/my-net (1).onnx" EmbedAsResource="true" /></ItemGroup>
              <Target Name="WriteRuntimeFolder" AfterTargets="Build">
                <WriteLinesToFile File="runtime.txt" Lines="$(EmcCRuntimeDirectory);@(EmcCRuntimeSource->'%(Filename)%(Extension)')" Overwrite="true" />
              </Target>
            </Project>
            """);
        var run = project.Dotnet("build");
        Assert.IsTrue(run.Succeeded, run.ToString());
        string header = project.PathOf("obj/Debug/net10.0/emc/my_net_1.h");
        Assert.IsTrue(File.Exists(header));

        // $(EmcCRuntimeDirectory) is the package's runtime/c/ folder; @(EmcCRuntimeSource) its C sources without the tools.
        string[] runtime = File.ReadAllLines(project.PathOf("runtime.txt"));
        Assert.IsTrue(File.Exists(Path.Combine(runtime[0], "emc_runtime.h")), runtime[0]);
        StringAssert.EndsWith(runtime[0].TrimEnd('/', '\\'), Path.Combine("runtime", "c"));
        CollectionAssert.Contains(runtime, "emc_model.c");
        CollectionAssert.DoesNotContain(runtime, "emcrt-run.c");
        foreach (var (compiler, standard, source) in new[] { ("gcc", "-std=c99", "main.c"), ("g++", "-std=c++17", "main.cpp") })
        {
            RequiredTool.Require(compiler);

            project.Write(source, """
                #include <stdio.h>
                #include "my_net_1.h"
                int main(void) { printf("%s|%u\n", my_net_1_inputs[0].name, (unsigned)MY_NET_1_KMODEL_SIZE); return 0; }
                """);
            var gcc = ProcessRunner.Run(compiler, [standard, "-Wall", "-Wextra", "-Werror", "-I", Path.GetDirectoryName(header)!, "-o", "main", source], project.Root);
            Assert.AreEqual(0, gcc.ExitCode, gcc.ToString());
            var exe = ProcessRunner.Run(project.PathOf("main"), [], project.Root);
            StringAssert.Contains(exe.Output, "|" + new FileInfo(project.PathOf("obj/Debug/net10.0/emc/my_net_1.kmodel")).Length);
        }

        // EmbedAsResource: the kmodel is a manifest resource of the assembly, byte for byte.
        using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(project.PathOf("bin/Debug/net10.0/app.dll")));
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        var names = metadata.ManifestResources.Select(h => metadata.GetString(metadata.GetManifestResource(h).Name)).ToList();
        CollectionAssert.Contains(names, "Emc.Models.my_net_1.kmodel");
        StringAssert.Contains(File.ReadAllText(project.PathOf("obj/Debug/net10.0/emc/my_net_1.g.cs")), "GetManifestResourceStream(\"Emc.Models.my_net_1.kmodel\")");
    }
}
