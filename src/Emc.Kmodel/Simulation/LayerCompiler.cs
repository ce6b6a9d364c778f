using Emc.Kmodel.Catalogue;
using Emc.Kmodel.Simulation.Steps;

namespace Emc.Kmodel.Simulation;

/// <summary>Turns each layer body into a checked <see cref="SimulationStep"/> through its catalogue entry; null when the layer cannot run.</summary>
internal static class LayerCompiler
{
    public static SimulationStep? Compile(int index, LayerBody body, KmodelHeader header, SimulatorOptions options, LayerChecker c)
    {
        var context = new StepContext(index, header, options, c);
        var entry = LayerCatalogue.For(body);
        return entry is null ? context.Unsupported(body) : entry.Prepare(body, context);
    }
}
