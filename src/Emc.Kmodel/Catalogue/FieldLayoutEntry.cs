using System.Globalization;

namespace Emc.Kmodel.Catalogue;

/// <summary>
/// An entry whose body is a run of little-endian fields after <c>flags</c> (spec §4.1): a fixed part,
/// optionally followed by arrays whose lengths are counts inside the fixed part.
/// </summary>
internal abstract class FieldLayoutEntry<TBody> : LayerEntry<TBody>
    where TBody : LayerBody
{
    /// <summary>Bytes of the fixed part (the whole layout unless <see cref="HasCounts"/>).</summary>
    protected abstract int FixedSize { get; }

    /// <summary>True when counts in the fixed part add arrays after it.</summary>
    protected virtual bool HasCounts => false;

    /// <summary>The whole layout's size from the counts in a present fixed part.</summary>
    protected virtual long SizeWithCounts(BodyFields fixedPart) => FixedSize;

    /// <summary>Reads the fields of a body whose layout the caller checked is present.</summary>
    protected abstract TBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body);

    /// <summary>Writes the fields after <c>flags</c>.</summary>
    protected abstract void Encode(TBody body, BodyFieldWriter w);

    public sealed override (LayerBody? Body, long ContentSize) Read(KmodelLayerType type, in BodySource source)
    {
        var body = source.Body;
        uint declared = source.Declared;
        long required = RequiredSize(body, declared);
        if (required < 0)
        {
            source.Report(KmodelDiagnostics.BodyTooSmall, type, string.Create(
                CultureInfo.InvariantCulture, $"body_size {declared} cannot hold the 4-byte flags and counts of its layout"));
            return (null, 0);
        }

        if (declared < required)
        {
            source.Report(KmodelDiagnostics.BodyTooSmall, type, string.Create(
                CultureInfo.InvariantCulture, $"body_size {declared} is smaller than the {required} bytes its layout needs"));
            return (null, 0);
        }

        if (body.Length < required)
        {
            source.Report(KmodelDiagnostics.BodyOutOfBounds, type, string.Create(
                CultureInfo.InvariantCulture, $"the file ends {required - body.Length} bytes before the end of the body's {required}-byte layout"));
            return (null, 0);
        }

        var f = new BodyFields(body);
        uint flags = f.U(0);
        return (Decode(type, f, body) with { Flags = flags }, required);
    }

    protected override long Size(TBody body) => FixedSize;

    protected sealed override void Encode(TBody body, Span<byte> slot, long bodyStart)
    {
        var w = new BodyFieldWriter(slot);
        w.U(0, body.Flags);
        Encode(body, w);
    }

    /// <summary>Bytes the layout needs, reading counts only when present; −1 when even the counts lie beyond the declared size.</summary>
    private long RequiredSize(ReadOnlySpan<byte> body, uint declared)
    {
        if (!HasCounts)
        {
            return FixedSize;
        }

        if (declared < FixedSize || body.Length < FixedSize)
        {
            return declared < FixedSize ? -1 : FixedSize;
        }

        return SizeWithCounts(new BodyFields(body));
    }
}
