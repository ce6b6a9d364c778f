using Emc.Diagnostics;

namespace Emc.Kmodel;

/// <summary>Diagnostics of the kmodel v3 reader and writer (EMC03xx).</summary>
public static class KmodelDiagnostics
{
    public static readonly DiagnosticDescriptor NotKmodelV3 = new("EMC0300", DiagnosticSeverity.Error, "File is not a kmodel v3");
    public static readonly DiagnosticDescriptor Truncated = new("EMC0301", DiagnosticSeverity.Error, "File is shorter than its header and tables say");
    public static readonly DiagnosticDescriptor UnsupportedArch = new("EMC0302", DiagnosticSeverity.Error, "Header arch is not 0");
    public static readonly DiagnosticDescriptor UnknownHeaderFlags = new("EMC0303", DiagnosticSeverity.Warning, "Header flags has bits other than bit 0");
    public static readonly DiagnosticDescriptor BodyOutOfBounds = new("EMC0304", DiagnosticSeverity.Error, "Layer body extends past the end of the file");
    public static readonly DiagnosticDescriptor BodyMisaligned = new("EMC0305", DiagnosticSeverity.Error, "Layer body size is not a multiple of 4");
    public static readonly DiagnosticDescriptor UnknownLayerType = new("EMC0306", DiagnosticSeverity.Error, "Unknown or invalid layer type code");
    public static readonly DiagnosticDescriptor LayoutUnknown = new("EMC0307", DiagnosticSeverity.Warning, "Layer type has no known body layout (kept as raw bytes)");
    public static readonly DiagnosticDescriptor BodyTooSmall = new("EMC0308", DiagnosticSeverity.Error, "Layer body is smaller than its layout");
    public static readonly DiagnosticDescriptor ConvOffsetOutOfBody = new("EMC0309", DiagnosticSeverity.Error, "K210_CONV blob offset lies outside its body");
    public static readonly DiagnosticDescriptor ConvWeightsInconsistent = new("EMC0310", DiagnosticSeverity.Error, "K210_CONV weight loads disagree with the registers");
    public static readonly DiagnosticDescriptor MainMemoryOutOfRange = new("EMC0311", DiagnosticSeverity.Error, "Main-memory range exceeds main_mem_usage");
    public static readonly DiagnosticDescriptor KpuMemoryOutOfRange = new("EMC0312", DiagnosticSeverity.Error, "KPU RAM range exceeds 32768 units");
    public static readonly DiagnosticDescriptor RegisterInvalid = new("EMC0313", DiagnosticSeverity.Error, "K210_CONV register field has an invalid value");
    public static readonly DiagnosticDescriptor ReservedBitsSet = new("EMC0314", DiagnosticSeverity.Warning, "Reserved register bits are not zero");
    public static readonly DiagnosticDescriptor OutputOutOfRange = new("EMC0315", DiagnosticSeverity.Error, "Output table entry exceeds main_mem_usage");
    public static readonly DiagnosticDescriptor LastBodyPaddingMissing = new("EMC0316", DiagnosticSeverity.Info, "Last body's padding is declared but not written (nncase v0.1 quirk)");
    public static readonly DiagnosticDescriptor TrailingBytes = new("EMC0317", DiagnosticSeverity.Warning, "Bytes after the last body");
    public static readonly DiagnosticDescriptor NotRunByStockSdk = new("EMC0318", DiagnosticSeverity.Info, "Layer type is not run by the stock SDK interpreter");
    public static readonly DiagnosticDescriptor RegisterMismatch = new("EMC0319", DiagnosticSeverity.Warning, "K210_CONV derived register disagrees with the shapes");
    public static readonly DiagnosticDescriptor MainMemoryRoundedOutOfRange = new("EMC0320", DiagnosticSeverity.Warning, "Main-memory range rounded up to 8 exceeds main_mem_usage");
    public static readonly DiagnosticDescriptor InvalidLayerField = new("EMC0321", DiagnosticSeverity.Error, "Layer field has an invalid value");
    public static readonly DiagnosticDescriptor ConvOffsetMisaligned = new("EMC0322", DiagnosticSeverity.Error, "K210_CONV blob offset is misaligned");
    public static readonly DiagnosticDescriptor FirstOrLastLayer = new("EMC0323", DiagnosticSeverity.Warning, "First or last layer cannot run on the SDK");
    public static readonly DiagnosticDescriptor NoLayers = new("EMC0324", DiagnosticSeverity.Error, "Model has no layers");
    public static readonly DiagnosticDescriptor NonZeroPadding = new("EMC0325", DiagnosticSeverity.Warning, "Padding bytes inside a body are not zero (not preserved on write)");
    public static readonly DiagnosticDescriptor FileUnreadable = new("EMC0326", DiagnosticSeverity.Error, "File cannot be read");
    public static readonly DiagnosticDescriptor InternalError = new("EMC0399", DiagnosticSeverity.Error, "Internal error while reading a kmodel");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } =
    [
        NotKmodelV3, Truncated, UnsupportedArch, UnknownHeaderFlags, BodyOutOfBounds, BodyMisaligned, UnknownLayerType,
        LayoutUnknown, BodyTooSmall, ConvOffsetOutOfBody, ConvWeightsInconsistent, MainMemoryOutOfRange,
        KpuMemoryOutOfRange, RegisterInvalid, ReservedBitsSet, OutputOutOfRange, LastBodyPaddingMissing, TrailingBytes,
        NotRunByStockSdk, RegisterMismatch, MainMemoryRoundedOutOfRange, InvalidLayerField, ConvOffsetMisaligned,
        FirstOrLastLayer, NoLayers, NonZeroPadding, FileUnreadable, InternalError,
    ];
}
