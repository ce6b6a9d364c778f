using Emc.Compiler.Compilation;

namespace Emc.Build.Tool;

/// <summary>
/// The seam between the tool's bookkeeping (options, outputs, diagnostics) and the ONNX → kmodel compiler: the real
/// implementation is <see cref="KmodelCompilerAdapter"/>; the fake tool (tests/Emc.Build.FakeCompiler) runs
/// <see cref="ToolHost"/> with a deterministic stand-in, and unit tests drive <see cref="ModelCompileRunner"/> with
/// scripted ones.
/// </summary>
internal interface IModelCompiler
{
    CompileResult Compile(string onnxPath, CompileOptions options);
}
