namespace Emc.Benchmarks;

/// <summary>Finds ../shared/testdata beside the repository root for benchmarks (they need real models).</summary>
public static class BenchmarkData
{
    public static string Path(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Emc.Build.sln")))
            {
                string full = System.IO.Path.Combine([dir.FullName, "..", "shared", "testdata", .. parts]);
                return File.Exists(full) || Directory.Exists(full)
                    ? System.IO.Path.GetFullPath(full)
                    : throw new FileNotFoundException("benchmark data missing: " + full);
            }
        }

        throw new InvalidOperationException("Emc.Build.sln not found above " + AppContext.BaseDirectory);
    }
}
