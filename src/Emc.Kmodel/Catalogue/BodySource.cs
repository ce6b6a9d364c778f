using Emc.Diagnostics;

namespace Emc.Kmodel.Catalogue;

/// <summary>
/// One body as the reader found it: the whole file (K210_CONV blobs are at absolute offsets), where the body
/// starts, its declared size and how many of those bytes the file holds.
/// </summary>
internal readonly ref struct BodySource(
    ReadOnlySpan<byte> file, long start, uint declared, int available, KmodelHeader header, int index, DiagnosticSink sink)
{
    public ReadOnlySpan<byte> File { get; } = file;

    public long Start { get; } = start;

    public uint Declared { get; } = declared;

    /// <summary>Bytes of the body present in the file (at most <see cref="Declared"/>).</summary>
    public int Available { get; } = available;

    public KmodelHeader Header { get; } = header;

    public int Index { get; } = index;

    public DiagnosticSink Sink { get; } = sink;

    /// <summary>The body's bytes present in the file.</summary>
    public ReadOnlySpan<byte> Body => File.Slice((int)Math.Min(Start, File.Length), Available);

    public void Report(DiagnosticDescriptor descriptor, KmodelLayerType type, string message) => Sink.Report(descriptor, Index, type, message);
}
