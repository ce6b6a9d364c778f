namespace Emc.Build.Tests.Support;

/// <summary>A fresh folder under the system temp dir, deleted on dispose (kept when EMC_KEEP_TEMP=1).</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "emc-build")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("EMC_KEEP_TEMP") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
