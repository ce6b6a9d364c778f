namespace Emc.Tests;

/// <summary>
/// Locates the external test data (../shared/testdata beside the repository root, or the folder EMC_TESTDATA names,
/// e.g. for a git worktree whose parent has no shared/). When it is absent — a
/// user's machine — tests that need it are reported inconclusive (skipped) with a message; under CI
/// (CI=true) its absence fails them, because CI must run them.
/// </summary>
public static class TestData
{
    private static readonly Lazy<string?> s_root = new(FindRoot);

    /// <summary>The repository root (the folder holding Emc.Build.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Full path of a file or folder under ../shared/testdata; skips (or fails under CI) when absent.</summary>
    public static string Path(params string[] parts)
    {
        string? root = s_root.Value;
        if (root is null)
        {
            Missing("../shared/testdata is not beside the repository");
        }

        string full = System.IO.Path.Combine([root!, .. parts]);
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            Missing($"test data '{string.Join('/', parts)}' is missing from ../shared/testdata");
        }

        return full;
    }

    public static bool IsAvailable => s_root.Value is not null;

    /// <summary>The test data folder, or null when it is absent (for test-case discovery, which must not skip).</summary>
    public static string? RootOrNull => s_root.Value;

    public static bool RunningInCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static void Missing(string why)
    {
        if (RunningInCi)
        {
            Assert.Fail($"{why}; CI must run this test.");
        }

        Assert.Inconclusive($"Skipped: {why}.");
    }

    private static string? FindRoot()
    {
        if (Environment.GetEnvironmentVariable("EMC_TESTDATA") is { Length: > 0 } overridden)
        {
            return Directory.Exists(overridden) ? System.IO.Path.GetFullPath(overridden) : null;
        }

        string candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared", "testdata"));
        return Directory.Exists(candidate) ? candidate : null;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Emc.Build.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Emc.Build.sln not found above " + AppContext.BaseDirectory);
    }
}
