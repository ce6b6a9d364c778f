using Emc.Compiler.Compilation;

namespace Emc.Build.Tasks;

/// <summary>
/// The seam between the MSBuild task and the ONNX → kmodel compiler (like Grpc.Tools' protoc path): the real
/// implementation is <see cref="KmodelCompilerAdapter"/>; tests and tools may supply their own through the
/// <c>EmcCompilerAssembly</c> property. Implementations must be stateless or thread-safe (several MSBuild nodes
/// and projects use one instance per task invocation, possibly concurrently in one process).
/// </summary>
public interface IModelCompiler
{
    CompileResult Compile(string onnxPath, CompileOptions options);
}
