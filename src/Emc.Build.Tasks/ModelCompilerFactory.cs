using System.Reflection;
using System.Runtime.Loader;
using Emc.Compiler.CodeGen;
using Emc.Diagnostics;

namespace Emc.Build.Tasks;

/// <summary>Chooses the compiler: the real one, or the first <see cref="IModelCompiler"/> type in an override assembly.</summary>
internal static class ModelCompilerFactory
{
    public static IModelCompiler? Create(string? overrideAssembly, DiagnosticBag diagnostics)
    {
        if (string.IsNullOrWhiteSpace(overrideAssembly))
        {
            return new KmodelCompilerAdapter();
        }

        try
        {
            // Load into the context that loaded this task so the IModelCompiler type identity matches.
            var context = AssemblyLoadContext.GetLoadContext(typeof(IModelCompiler).Assembly) ?? AssemblyLoadContext.Default;
            string full = Path.GetFullPath(overrideAssembly);
            Assembly assembly = context.Assemblies.FirstOrDefault(a =>
                    !a.IsDynamic && string.Equals(a.Location, full, StringComparison.Ordinal))
                ?? context.LoadFromAssemblyPath(full);
            var type = assembly.GetTypes().FirstOrDefault(t =>
                typeof(IModelCompiler).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });
            if (type is not null && Activator.CreateInstance(type) is IModelCompiler compiler)
            {
                return compiler;
            }

            diagnostics.Add(BuildDiagnostics.CompilerUnavailable.Create(
                $"no public IModelCompiler implementation in '{overrideAssembly}' (EmcCompilerAssembly)"));
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or ReflectionTypeLoadException or MissingMethodException or TargetInvocationException or UnauthorizedAccessException or ArgumentException)
        {
            diagnostics.Add(BuildDiagnostics.CompilerUnavailable.Create(
                $"cannot load EmcCompilerAssembly '{overrideAssembly}': {e.Message}"));
        }

        return null;
    }
}
