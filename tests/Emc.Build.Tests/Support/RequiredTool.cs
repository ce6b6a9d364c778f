using Emc.Tests;

namespace Emc.Build.Tests.Support;

/// <summary>A host tool a test needs (gcc, g++): skipped with a message when absent, failed under CI=true (README).</summary>
public static class RequiredTool
{
    public static void Require(string tool)
    {
        if (ProcessRunner.Which(tool) is not null)
        {
            return;
        }

        if (TestData.RunningInCi)
        {
            Assert.Fail($"{tool} is not installed; CI must run this test.");
        }

        Assert.Inconclusive($"Skipped: {tool} is not installed.");
    }
}
