using System.Reflection;
using System.Text.RegularExpressions;
using Emc.Diagnostics;
using Emc.Tests;

namespace Emc.Build.Tests.Docs;

/// <summary>docs/errors.md must list every EMCnnnn code declared anywhere in the Emc.* assemblies.</summary>
[TestClass]
public sealed class ErrorCodesDocumentedTests
{
    [TestMethod]
    public void EveryDiagnosticDescriptorIsDocumented()
    {
        var descriptors = AllDescriptors();
        Assert.IsGreaterThan(20, descriptors.Count, "the scan found too few descriptors: " + descriptors.Count);
        string doc = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "docs", "errors.md"));
        var documented = Regex.Matches(doc, @"^\| *(EMC\d{4}) *\|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
        var missing = descriptors.Where(d => !documented.Contains(d.Code)).OrderBy(d => d.Code).ToList();
        Assert.IsEmpty(missing, "add these rows to docs/errors.md:\n" + string.Join("\n", missing.Select(d =>
            $"| {d.Code} | {d.Severity} | {d.Title} |")));
    }

    [TestMethod]
    public void CodesAreUniqueAndWellFormed()
    {
        var descriptors = AllDescriptors();
        foreach (var group in descriptors.GroupBy(d => d.Code))
        {
            Assert.AreEqual(1, group.Select(d => d.Title).Distinct().Count(), $"{group.Key} is declared with different titles");
            Assert.IsTrue(Regex.IsMatch(group.Key, @"^EMC\d{4}$"), group.Key);
        }
    }

    private static List<DiagnosticDescriptor> AllDescriptors()
    {
        var result = new List<DiagnosticDescriptor>();
        foreach (string file in Directory.EnumerateFiles(AppContext.BaseDirectory, "Emc.*.dll"))
        {
            Assembly assembly;
            try
            {
                assembly = Assembly.LoadFrom(file);
            }
            catch (BadImageFormatException)
            {
                continue;
            }

            Type?[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types;
            }

            foreach (var type in types.OfType<Type>())
            {
                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
                {
                    if (field.FieldType == typeof(DiagnosticDescriptor) && field.GetValue(null) is DiagnosticDescriptor d)
                    {
                        result.Add(d);
                    }
                }
            }
        }

        return result.DistinctBy(d => (d.Code, d.Title)).ToList();
    }
}
