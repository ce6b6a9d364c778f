using System.Buffers.Binary;
using System.Globalization;
using Emc.Diagnostics;
using Emc.Kmodel.Catalogue;

namespace Emc.Kmodel;

/// <summary>
/// Reads and validates a kmodel v3 file. Never throws for bad input: every problem is a diagnostic
/// (EMC03xx) naming the layer index, type and field; the model is returned when there is no error.
/// </summary>
public static class KmodelReader
{
    public static Result<KmodelFile> Read(ReadOnlyMemory<byte> data, string? path = null)
    {
        var sink = new DiagnosticSink(path);
        KmodelFile? file;
        try
        {
            file = ReadCore(data.Span, sink);
            if (file is not null)
            {
                KmodelValidator.Validate(file, sink);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A reader bug must still surface as a diagnostic at the API boundary; tests assert it never happens.
            sink.Report(KmodelDiagnostics.InternalError, $"internal error while reading: {ex.GetType().Name}: {ex.Message}");
            file = null;
        }

        return new Result<KmodelFile>(file, sink.Bag);
    }

    /// <summary>Largest kmodel file read (64 MiB; the K210 has 16 MB of flash).</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>Reads a file from disk; I/O failures become EMC0001-style diagnostics.</summary>
    public static Result<KmodelFile> ReadFile(string path)
    {
        // Regular files only (FIFOs block, /dev/zero never ends); the size is checked before allocating.
        byte[]? bytes = Emc.IO.SafeFile.TryReadAll(path, MaxFileBytes, out string? error);
        if (bytes is null)
        {
            return new Result<KmodelFile>(null, [KmodelDiagnostics.FileUnreadable.Create($"cannot read the file: the file {error}", path)]);
        }

        return Read(bytes, path);
    }

    private static KmodelFile? ReadCore(ReadOnlySpan<byte> data, DiagnosticSink sink)
    {
        if (data.Length < 4 || BinaryPrimitives.ReadUInt32LittleEndian(data) != KmodelHeader.Version3)
        {
            sink.Report(KmodelDiagnostics.NotKmodelV3, $"not kmodel v3: {FormatSniffer.Describe(data)}");
            return null;
        }

        if (data.Length < KmodelHeader.Size)
        {
            sink.Report(KmodelDiagnostics.Truncated, string.Create(CultureInfo.InvariantCulture,
                $"the file has {data.Length} bytes, fewer than the 28-byte header"));
            return null;
        }

        var h = new BodyFields(data);
        var header = new KmodelHeader(h.U(0), h.U(1), h.U(2), h.U(4), h.U(5));
        uint layerCount = h.U(3);
        uint outputCount = h.U(6);
        if (header.Arch != 0)
        {
            sink.Report(KmodelDiagnostics.UnsupportedArch, string.Create(CultureInfo.InvariantCulture,
                $"header arch is {header.Arch}; the SDK only loads arch 0"));
        }

        if ((header.Flags & ~1u) != 0)
        {
            sink.Report(KmodelDiagnostics.UnknownHeaderFlags, string.Create(CultureInfo.InvariantCulture,
                $"header flags 0x{header.Flags:X8} has bits other than bit 0 (8-bit weights)"));
        }

        long bodyStart = KmodelHeader.Size + (8L * outputCount) + (8L * layerCount);
        if (bodyStart > data.Length)
        {
            sink.Report(KmodelDiagnostics.Truncated, string.Create(CultureInfo.InvariantCulture,
                $"output_count {outputCount} and layers_length {layerCount} need {bodyStart} bytes of header and tables; the file has {data.Length}"));
            return null;
        }

        if (layerCount == 0)
        {
            sink.Report(KmodelDiagnostics.NoLayers, "layers_length is 0");
        }

        var outputs = new KmodelOutput[outputCount];
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i] = new KmodelOutput(h.U(7 + (2 * i)), h.U(8 + (2 * i)));
        }

        var layers = ReadLayers(data, header, (int)layerCount, 7 + (2 * (int)outputCount), bodyStart, sink);
        return layers is null || sink.HasErrors ? null : new KmodelFile(header, outputs, layers);
    }

    private static KmodelLayer[]? ReadLayers(
        ReadOnlySpan<byte> data, KmodelHeader header, int layerCount, int firstHeaderField, long bodyStart, DiagnosticSink sink)
    {
        var h = new BodyFields(data);
        var layers = new KmodelLayer[layerCount];
        long start = bodyStart;
        bool complete = true;
        for (int i = 0; i < layerCount; i++)
        {
            var type = (KmodelLayerType)h.U(firstHeaderField + (2 * i));
            uint declared = h.U(firstHeaderField + (2 * i) + 1);
            bool last = i == layerCount - 1;
            var layer = ReadLayer(data, header, type, declared, start, i, last, sink);
            if (layer is null)
            {
                complete = false;
            }
            else
            {
                layers[i] = layer;
            }

            start += declared;
            if (start > data.Length && !last)
            {
                // ReadLayer reported the overrun; later bodies have no trustworthy start.
                return null;
            }
        }

        if (start < data.Length)
        {
            sink.Report(KmodelDiagnostics.TrailingBytes, string.Create(CultureInfo.InvariantCulture,
                $"{data.Length - start} bytes follow the last body (ends at {start}); they are not kept"));
        }

        return complete ? layers : null;
    }

    private static KmodelLayer? ReadLayer(
        ReadOnlySpan<byte> data, KmodelHeader header, KmodelLayerType type, uint declared, long start, int index, bool last, DiagnosticSink sink)
    {
        if (!KmodelLayerTypes.IsKnown(type) || type == KmodelLayerType.Invalid)
        {
            sink.Report(KmodelDiagnostics.UnknownLayerType, index, type, string.Create(CultureInfo.InvariantCulture,
                $"type code {(uint)type} is not a kmodel v3 layer type"));
            return null;
        }

        if (declared % 4 != 0)
        {
            sink.Report(KmodelDiagnostics.BodyMisaligned, index, type, string.Create(CultureInfo.InvariantCulture,
                $"body_size {declared} is not a multiple of 4, so the next body would be misaligned"));
            return null;
        }

        long present = Math.Max(0, Math.Min(declared, data.Length - start));
        long missing = declared - present;
        if (missing > 0 && (!last || missing > 7))
        {
            sink.Report(KmodelDiagnostics.BodyOutOfBounds, index, type, string.Create(CultureInfo.InvariantCulture,
                $"body [{start}, {start + declared}) runs {missing} bytes past the end of the file ({data.Length} bytes)"));
            return null;
        }

        int available = (int)present;
        var body = data.Slice((int)Math.Min(start, data.Length), available);
        var entry = LayerCatalogue.For(type)!;
        (LayerBody? decoded, long contentSize) = entry.Read(type, new BodySource(data, start, declared, available, header, index, sink));
        if (decoded is null)
        {
            return null;
        }

        if (missing > 0)
        {
            sink.Report(KmodelDiagnostics.LastBodyPaddingMissing, index, type, string.Create(CultureInfo.InvariantCulture,
                $"the last {missing} padding bytes of the last body are declared but not in the file (nncase v0.1 quirk); treated as zero"));
        }

        if (decoded is not K210ConvBody && contentSize < available && body[(int)contentSize..].ContainsAnyExcept((byte)0))
        {
            sink.Report(KmodelDiagnostics.NonZeroPadding, index, type, "padding bytes after the body's fields are not zero");
        }

        if (!entry.IsRunByStockSdk(type) && entry.HasKnownLayout)
        {
            sink.Report(KmodelDiagnostics.NotRunByStockSdk, index, type, "the stock SDK kpu.c does not run this layer type (a patched runtime is needed)");
        }

        return new KmodelLayer(decoded, declared);
    }
}
