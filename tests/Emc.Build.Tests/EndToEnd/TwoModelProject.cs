using Emc.Build.Tests.Support;

namespace Emc.Build.Tests.EndToEnd;

/// <summary>
/// A library with two EmcModels (alpha, beta: fake compiler) and code using both wrappers: the starting state of
/// each incremental-build test. Every test makes its own; only the packed Emc.Sdk (<see cref="PackagedSdk"/>) is shared.
/// </summary>
public sealed class TwoModelProject : IDisposable
{
    public const string UserCode = """
        namespace Sample;
        public static class Uses
        {
            public static int Facts() => Alpha.KmodelLength + Beta.LayerCount + Alpha.Input0Shape.Length + Alpha.Load().Layers.Count;
        }
        """;

    public TwoModelProject()
    {
        Project.Write("models/alpha.onnx", SampleModels.TinyCnn(seed: 1));
        Project.Write("models/beta.onnx", SampleModels.TinyCnn(seed: 2));
        Project.Write("Uses.cs", UserCode);
        Project.Write("app.csproj", TestProject.LibraryProject(Items("0,1")));
    }

    public TestProject Project { get; } = new();

    /// <summary>The generated-file folder, with a trailing separator.</summary>
    public string Emc => Project.PathOf("obj/Debug/net10.0/emc/");

    public static string Items(string betaRange) => $"""
        <EmcModel Include="models/alpha.onnx" InputRange="0,1" />
        <EmcModel Include="models/beta.onnx" InputRange="{betaRange}" />
        """;

    /// <summary>Runs `dotnet build` and fails the test if it does not succeed.</summary>
    public BuildRun Build()
    {
        var run = Project.Dotnet("build");
        Assert.IsTrue(run.Succeeded, run.ToString());
        return run;
    }

    public void Dispose() => Project.Dispose();
}
