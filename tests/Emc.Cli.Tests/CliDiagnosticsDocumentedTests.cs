using System.Reflection;
using System.Text.RegularExpressions;
using Emc.Cli;
using Emc.Diagnostics;
using Emc.Tests;

namespace Emc.Cli.Tests;

/// <summary>The CLI's own codes (assembly <c>emc</c>, which the Emc.* scan in Emc.Build.Tests does not see) are documented too.</summary>
[TestClass]
public sealed class CliDiagnosticsDocumentedTests
{
    [TestMethod]
    public void EveryCliCodeIsListedInDocsErrorsMd()
    {
        var codes = typeof(CliDiagnostics).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToList();
        Assert.IsGreaterThanOrEqualTo(5, codes.Count);

        string doc = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "docs", "errors.md"));
        foreach (var d in codes)
        {
            Assert.IsTrue(Regex.IsMatch(doc, $@"^\| *{d.Code} *\| *{d.Severity} *\|", RegexOptions.Multiline), $"{d.Code} ({d.Title}) is not in docs/errors.md");
        }
    }
}
