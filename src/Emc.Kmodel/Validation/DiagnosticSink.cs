using System.Globalization;
using Emc.Diagnostics;

namespace Emc.Kmodel;

/// <summary>Collects reader/validator diagnostics, naming the file, the layer index and its type.</summary>
internal sealed class DiagnosticSink(string? path)
{
    public DiagnosticBag Bag { get; } = [];

    public bool HasErrors => Bag.HasErrors;

    public void Report(DiagnosticDescriptor descriptor, string message) => Bag.Add(descriptor.Create(message, path));

    public void Report(DiagnosticDescriptor descriptor, int layer, KmodelLayerType type, string message)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"layer {layer}");
        string op = KmodelLayerTypes.SdkName(type);
        Bag.Add(descriptor.Create(string.Create(CultureInfo.InvariantCulture, $"{name} ({op}): {message}"), path, name, op));
    }
}
