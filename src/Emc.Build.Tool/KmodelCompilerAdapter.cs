using Emc.Compiler.Compilation;

namespace Emc.Build.Tool;

/// <summary>The real compiler, in process: <see cref="KmodelCompiler.Compile(string, CompileOptions, Action{string}?)"/>.</summary>
internal sealed class KmodelCompilerAdapter : IModelCompiler
{
    public CompileResult Compile(string onnxPath, CompileOptions options) => KmodelCompiler.Compile(onnxPath, options);
}
