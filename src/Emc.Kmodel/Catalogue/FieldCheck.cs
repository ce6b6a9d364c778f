namespace Emc.Kmodel.Catalogue;

/// <summary>Where an entry reports field problems of one layer (InvalidLayerField, naming the layer and its type).</summary>
internal sealed class FieldCheck(KmodelHeader header, int index, KmodelLayerType type, DiagnosticSink sink)
{
    public KmodelHeader Header => header;

    public int Index => index;

    public DiagnosticSink Sink => sink;

    public void Invalid(FormattableString message) =>
        sink.Report(KmodelDiagnostics.InvalidLayerField, index, type, FormattableString.Invariant(message));

    /// <summary>A body record shared by two codes must carry one of them.</summary>
    public void TypeIsOneOf(KmodelLayerType a, KmodelLayerType b)
    {
        if (type != a && type != b)
        {
            Invalid($"this body layout is used by {KmodelLayerTypes.SdkName(a)} and {KmodelLayerTypes.SdkName(b)} only");
        }
    }
}
