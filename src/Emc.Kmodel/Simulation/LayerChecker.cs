using System.Globalization;
using Emc.Diagnostics;

namespace Emc.Kmodel.Simulation;

/// <summary>Range and parameter checks for one layer; every problem becomes a diagnostic naming the layer.</summary>
internal sealed class LayerChecker(DiagnosticBag bag, int index, KmodelLayerType type, long mainMemory, string? path)
{
    private readonly string _name = string.Create(CultureInfo.InvariantCulture, $"layer {index}");
    private readonly string _type = KmodelLayerTypes.SdkName(type);

    public bool Failed { get; private set; }

    /// <summary>Multiply-accumulates (conv taps, FC weights, pool window taps) one run of the layer costs.</summary>
    public long Work { get; private set; }

    public void AddWork(long work) => Work = work > long.MaxValue - Work ? long.MaxValue : Work + Math.Max(0, work);

    /// <summary>Saturating product (dimensions from a corrupt file can overflow 64 bits).</summary>
    public static long Product(params long[] factors)
    {
        long p = 1;
        foreach (long f in factors)
        {
            if (f <= 0)
            {
                return 0;
            }

            p = p > long.MaxValue / f ? long.MaxValue : p * f;
        }

        return p;
    }

    /// <summary>
    /// A main-memory range must lie inside main_mem_usage; an empty one must still start inside (or at the end of)
    /// the buffer — the device would touch nothing, but a span at that address does not exist on the host.
    /// </summary>
    public void Main(string field, long address, long bytes)
    {
        if (address + Math.Max(0, bytes) > mainMemory)
        {
            Error(SimulatorDiagnostics.MainMemoryRange, string.Create(CultureInfo.InvariantCulture,
                $"{field} [{address}, {address}+{bytes}) ends past main_mem_usage {mainMemory}"));
        }
    }

    public void Kpu(string field, KpuMapAddressing map)
    {
        if (!map.HasValidGroup)
        {
            Error(SimulatorDiagnostics.ConvRegisters, string.Create(CultureInfo.InvariantCulture, $"{field} channel group {map.Group} is not 1, 2 or 4"));
            return;
        }

        long end = map.EndOffset();
        if (end > KpuMapAddressing.RamBytes)
        {
            Error(SimulatorDiagnostics.KpuMemoryRange, string.Create(CultureInfo.InvariantCulture,
                $"{field} ({map.Channels}×{map.Height}×{map.Width} at unit {map.BaseUnit}) ends at byte {end}, past the 2 MiB KPU RAM"));
        }
    }

    public void Require(bool condition, DiagnosticDescriptor descriptor, string message)
    {
        if (!condition)
        {
            Error(descriptor, message);
        }
    }

    public void Error(DiagnosticDescriptor descriptor, string message)
    {
        Failed = true;
        bag.Add(descriptor.Create($"{_name} ({_type}): {message}", path, _name, _type));
    }
}
