using Emc.Compiler.Passes;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>One stage of <see cref="KmodelCompiler"/>, run in the order <see cref="CompilerPipeline"/> lists.</summary>
internal interface ICompileStage : IPass
{
    /// <summary>Runs the stage; false stops the compilation (a diagnostic was reported).</summary>
    bool Run(CompileState state);
}
