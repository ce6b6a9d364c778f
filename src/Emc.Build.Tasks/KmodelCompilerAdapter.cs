using System.Reflection;
using Emc.Compiler.CodeGen;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;

namespace Emc.Build.Tasks;

/// <summary>
/// Calls the real compiler, <c>KmodelCompiler.Compile(string, CompileOptions)</c> in Emc.Compiler. It is bound by
/// name so this assembly builds before the compiler lands on this branch; when the method is missing the build
/// fails with EMC0806 naming it (never a crash).
/// </summary>
public sealed class KmodelCompilerAdapter : IModelCompiler
{
    private static readonly Lazy<Func<string, CompileOptions, CompileResult>?> s_compile = new(Bind);

    public static bool IsAvailable => s_compile.Value is not null;

    public CompileResult Compile(string onnxPath, CompileOptions options)
    {
        if (s_compile.Value is not { } compile)
        {
            return new CompileResult(null, null, null,
            [
                BuildDiagnostics.CompilerUnavailable.Create(
                    "Emc.Compiler.KmodelCompiler.Compile(string, CompileOptions) is not part of this Emc.Compiler build", onnxPath),
            ]);
        }

        return compile(onnxPath, options);
    }

    private static Func<string, CompileOptions, CompileResult>? Bind()
    {
        var assembly = typeof(CompileOptions).Assembly;
        var type = assembly.GetType("Emc.Compiler.KmodelCompiler") ?? assembly.GetType("Emc.Compiler.Compilation.KmodelCompiler");
        var method = type?.GetMethod("Compile", BindingFlags.Public | BindingFlags.Static, [typeof(string), typeof(CompileOptions)]);
        return method is null || method.ReturnType != typeof(CompileResult)
            ? null
            : method.CreateDelegate<Func<string, CompileOptions, CompileResult>>();
    }
}
