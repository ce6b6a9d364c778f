using Emc.Build.Tests.Support;
using Emc.Tests;

namespace Emc.Build.Tests.EndToEnd;

/// <summary>What a new user hit (issue 14): real `dotnet build`s with the fake compiler.</summary>
[TestClass]
[TestCategory(TestCategories.EndToEnd)]
public sealed class NewUserBuildTests
{
    [TestMethod]
    public void EveryOutputMetadataValueIsValidatedWithTheAcceptedValues()
    {
        using var project = new TestProject();
        project.Write("models/net.onnx", SampleModels.TinyCnn());
        project.Write("app.csproj", TestProject.LibraryProject("""
            <EmcModel Include="models/net.onnx" Access="private" CopyToOutputDirectory="Sometimes" Report="yes" />
            """));

        var run = project.Dotnet("build");

        Assert.IsFalse(run.Succeeded, run.ToString());
        StringAssert.Contains(run.Output, "error EMC0801: EmcModel 'models/net.onnx': Access='private' is invalid; expected public, internal");
        StringAssert.Contains(run.Output, "CopyToOutputDirectory='Sometimes' is invalid; expected Never, PreserveNewest, Always, IfDifferent");
        StringAssert.Contains(run.Output, "Report='yes' is invalid; expected true, false");
        Assert.IsEmpty(project.Compiled());
    }
}
