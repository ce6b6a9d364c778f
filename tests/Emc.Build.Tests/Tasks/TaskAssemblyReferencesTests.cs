extern alias tasks;

using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using tasks::Emc.Build.Tasks;

namespace Emc.Build.Tests.Tasks;

/// <summary>
/// Issue 12: the task assembly loads in every MSBuild — MSBuild on .NET and Visual Studio's MSBuild.exe on .NET
/// Framework, which can load a netstandard2.0 assembly but nothing built for .NET (Core). This reads the built task
/// assembly's metadata: it targets .NET Standard 2.0 and references only netstandard and MSBuild (no compiler code,
/// no Emc.*, no package dependency that would have to ship beside it).
/// </summary>
[TestClass]
public sealed class TaskAssemblyReferencesTests
{
    private static readonly string[] s_allowed = ["netstandard", "Microsoft.Build.Framework", "Microsoft.Build.Utilities.Core"];

    [TestMethod]
    public void TheTaskReferencesOnlyNetstandardAndMsBuild()
    {
        var (references, _) = Read(TaskAssemblyPath);

        CollectionAssert.IsSubsetOf(references, s_allowed, "the task assembly references " + string.Join(", ", references));
        CollectionAssert.Contains(references, "netstandard");
        CollectionAssert.Contains(references, "Microsoft.Build.Utilities.Core");
    }

    [TestMethod]
    public void TheTaskTargetsNetStandard20()
    {
        var (_, framework) = Read(TaskAssemblyPath);

        Assert.AreEqual(".NETStandard,Version=v2.0", framework);
    }

    internal static string TaskAssemblyPath => typeof(EmcResolveModels).Assembly.Location;

    /// <summary>The names of the referenced assemblies and the TargetFrameworkAttribute value, from metadata only.</summary>
    internal static (string[] References, string? Framework) Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        string[] references = [.. metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name))];
        string? framework = null;
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind == HandleKind.MemberReference
                && metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is { Kind: HandleKind.TypeReference } parent
                && metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)parent).Name) == "TargetFrameworkAttribute")
            {
                var value = metadata.GetBlobReader(attribute.Value);
                value.ReadUInt16();  // prolog
                framework = value.ReadSerializedString();
            }
        }

        return (references, framework);
    }
}
