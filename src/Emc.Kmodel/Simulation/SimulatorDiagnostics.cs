using Emc.Diagnostics;

namespace Emc.Kmodel.Simulation;

/// <summary>EMC04xx: problems found while preparing or running the K210 simulator.</summary>
public static class SimulatorDiagnostics
{
    public static readonly DiagnosticDescriptor UnsupportedLayer = new("EMC0401", DiagnosticSeverity.Error, "Layer type is not run by the K210 SDK");
    public static readonly DiagnosticDescriptor BadFirstLayer = new("EMC0402", DiagnosticSeverity.Error, "First layer must be K210_CONV or FULLY_CONNECTED");
    public static readonly DiagnosticDescriptor MainMemoryRange = new("EMC0403", DiagnosticSeverity.Error, "Layer accesses main memory outside main_mem_usage");
    public static readonly DiagnosticDescriptor KpuMemoryRange = new("EMC0404", DiagnosticSeverity.Error, "Layer accesses KPU RAM outside its 2 MiB");
    public static readonly DiagnosticDescriptor MainMemoryTooLarge = new("EMC0405", DiagnosticSeverity.Error, "main_mem_usage exceeds what the simulator (and the K210) can hold");
    public static readonly DiagnosticDescriptor InputSize = new("EMC0406", DiagnosticSeverity.Error, "Input size does not match the model's first layer");
    public static readonly DiagnosticDescriptor ConvRegisters = new("EMC0407", DiagnosticSeverity.Error, "K210_CONV registers or parameter blobs are inconsistent");
    public static readonly DiagnosticDescriptor TooLarge = new("EMC0408", DiagnosticSeverity.Error, "Layer is too large to simulate");
    public static readonly DiagnosticDescriptor LayerParameters = new("EMC0409", DiagnosticSeverity.Error, "Layer parameters are invalid");
    public static readonly DiagnosticDescriptor OutputRange = new("EMC0410", DiagnosticSeverity.Error, "Output table entry lies outside main memory");
    public static readonly DiagnosticDescriptor LastLayerKpuOnly = new("EMC0411", DiagnosticSeverity.Error, "Last layer is a K210_CONV that does not write main memory");
    public static readonly DiagnosticDescriptor NoLayers = new("EMC0412", DiagnosticSeverity.Error, "Model has no layers");
    public static readonly DiagnosticDescriptor Header = new("EMC0413", DiagnosticSeverity.Error, "Header is not runnable (version/arch)");
}
