using System.Buffers.Binary;
using Emc.Kmodel.Catalogue;

namespace Emc.Kmodel;

/// <summary>
/// Writes a <see cref="KmodelFile"/> exactly as its records say: header, tables, then every body in its
/// declared size with zero padding (including the last body's padding, which nncase v0.1 omitted).
/// Inconsistent records (a body larger than its declared size, a misaligned size) are programming errors
/// and throw <see cref="ArgumentException"/>.
/// </summary>
public static class KmodelWriter
{
    public static byte[] Write(KmodelFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        long length = file.DeclaredLength;
        if (length > Array.MaxLength)
        {
            throw new ArgumentException($"the model would be {length} bytes", nameof(file));
        }

        var bytes = new byte[length];
        var span = bytes.AsSpan();
        var header = file.Header;
        WriteU32(span, 0, header.Version, header.Flags, header.Arch, (uint)file.Layers.Count, header.MaxStartAddress, header.MainMemUsage, (uint)file.Outputs.Count);
        int position = KmodelHeader.Size;
        foreach (var output in file.Outputs)
        {
            WriteU32(span, position, output.Address, output.Size);
            position += 8;
        }

        foreach (var layer in file.Layers)
        {
            WriteU32(span, position, (uint)layer.Type, layer.BodySize);
            position += 8;
        }

        long bodyStart = file.BodyStart;
        for (int i = 0; i < file.Layers.Count; i++)
        {
            var layer = file.Layers[i];
            var entry = LayerCatalogue.For(layer.Body) ?? throw UnknownRecord(layer.Body);
            long content = entry.ContentSize(layer.Body);
            if (layer.BodySize % 4 != 0 || content > layer.BodySize)
            {
                throw new ArgumentException(
                    $"layer {i} ({KmodelLayerTypes.SdkName(layer.Type)}): body_size {layer.BodySize} cannot hold {content} bytes or is not a multiple of 4",
                    nameof(file));
            }

            entry.Write(layer.Body, span.Slice((int)bodyStart, (int)layer.BodySize), bodyStart);
            bodyStart += layer.BodySize;
        }

        return bytes;
    }

    /// <summary>A body record from outside this library: there is no layout to write it with.</summary>
    internal static ArgumentException UnknownRecord(LayerBody body) =>
        new($"unknown body record {body.GetType().Name}", nameof(body));

    private static void WriteU32(Span<byte> span, int offset, params ReadOnlySpan<uint> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[(offset + (4 * i))..], values[i]);
        }
    }
}
