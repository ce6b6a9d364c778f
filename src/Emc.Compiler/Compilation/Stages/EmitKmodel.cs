using Emc.Compiler.K210.Emission;
using Emc.Kmodel;

namespace Emc.Compiler.Compilation.Stages;

/// <summary>Encodes the layers as kmodel v3 bytes.</summary>
internal sealed class EmitKmodel : ICompileStage
{
    public static readonly EmitKmodel Instance = new();

    public string Name => "emit-kmodel";

    public string Summary => "layers → kmodel v3 records and bytes (header, output table, layer headers, bodies)";

    public bool Run(CompileState state)
    {
        var file = KmodelEmitter.Emit(state.Model!, state.Plan!, state.Options.WeightBits);
        state.Bytes = KmodelWriter.Write(file);
        return true;
    }
}
