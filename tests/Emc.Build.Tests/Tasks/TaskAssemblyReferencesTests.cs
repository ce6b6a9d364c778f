extern alias tasks;

using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using tasks::Emc.Build.Tasks;

namespace Emc.Build.Tests.Tasks;

/// <summary>
/// Issue 12: the task assembly is to load in every MSBuild (netstandard2.0, compiler-free). Not there yet
/// (implementation_notes.md, "Not done yet"): this reads the built task assembly's metadata and pins what it may
/// reference today, so the list only shrinks. The ONNX reader, Protobuf and tensors already stay in the tool.
/// </summary>
[TestClass]
public sealed class TaskAssemblyReferencesTests
{
    /// <summary>Still referenced until the switch: the tool's shared code, the compiler (CodeIdentifiers) and Emc.Core
    /// (diagnostics, SafeFile). Everything else must be the framework or MSBuild.</summary>
    private static readonly string[] s_remainingCompilerReferences = ["Emc.Build.Tool", "Emc.Compiler", "Emc.Core"];

    [TestMethod]
    public void TheTaskReferencesOnlyTheFrameworkMsBuildAndTheRemainingCompilerPieces()
    {
        var references = ReferencesOf(typeof(EmcResolveModels).Assembly.Location);

        var other = references.Where(r => !IsFrameworkOrMsBuild(r) && !s_remainingCompilerReferences.Contains(r)).ToList();

        Assert.IsEmpty(other, "the task assembly references " + string.Join(", ", other));
        CollectionAssert.IsSubsetOf(new[] { "Microsoft.Build.Framework", "Microsoft.Build.Utilities.Core" }, references.ToList());
        foreach (string name in new[] { "Emc.Onnx", "Google.Protobuf", "System.Numerics.Tensors", "System.Text.Json" })
        {
            Assert.DoesNotContain(name, references, name + " must stay in the tool");
        }
    }

    private static string[] ReferencesOf(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return [.. metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name))];
    }

    private static bool IsFrameworkOrMsBuild(string name) =>
        name is "netstandard" or "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Build.", StringComparison.Ordinal)
        || name == "System";
}
