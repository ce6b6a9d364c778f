namespace Emc.Tests;

/// <summary>
/// MSTest categories (<c>[TestCategory(TestCategories.X)]</c>) of the groups that `bash build/test.sh --fast` leaves
/// out. Everything else is the fast lane. See tests/README.md.
/// </summary>
public static class TestCategories
{
    /// <summary>Runs `dotnet pack` / `dotnet build` / `dotnet clean` processes on throwaway projects.</summary>
    public const string EndToEnd = "EndToEnd";

    /// <summary>Sweeps over the ONNX suites and real models of ../shared/testdata (thousands of folders).</summary>
    public const string Conformance = "Conformance";

    /// <summary>Mutation and random-input robustness loops (many generated cases per test).</summary>
    public const string Fuzz = "Fuzz";

    /// <summary>Any other test that takes seconds: whole-network compiles, real-model simulation, ORT differential batches.</summary>
    public const string Slow = "Slow";

    /// <summary>Uses the real compiler behind the MSBuild tasks (informational: not excluded by --fast on its own).</summary>
    public const string RealCompiler = "RealCompiler";
}
