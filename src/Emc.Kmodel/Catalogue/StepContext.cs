using System.Globalization;
using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;

namespace Emc.Kmodel.Catalogue;

/// <summary>What an entry needs to build a simulator step: the layer index, the header, the options and the checker.</summary>
internal sealed class StepContext(int index, KmodelHeader header, SimulatorOptions options, LayerChecker check)
{
    public int Index { get; } = index;

    public KmodelHeader Header { get; } = header;

    public SimulatorOptions Options { get; } = options;

    /// <summary>Range and parameter checks; a failed check makes the entry return no step.</summary>
    public LayerChecker Check { get; } = check;

    /// <summary>Checks that each range lies in main memory, as the runtime reads and writes exactly the declared tensors.</summary>
    public void CheckMain(IReadOnlyList<MemoryRange> ranges)
    {
        foreach (var range in ranges)
        {
            Check.Main(range.Name, range.Start, range.Length);
        }
    }

    public static string Text(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reports that the simulator cannot run this body (as the SDK would refuse it) and returns no step.</summary>
    public SimulationStep? Unsupported(LayerBody body)
    {
        string why = body.Type == KmodelLayerType.QuantizedTensorflowFlatten
            ? "QUANTIZED_TENSORFLOW_FLATTEN runs only with a patched kpu.c (SimulatorOptions.RunQuantizedFlatten is off)"
            : "the SDK asserts \"Layer is not supported\" for this type";
        Check.Error(SimulatorDiagnostics.UnsupportedLayer, why);
        return null;
    }
}
