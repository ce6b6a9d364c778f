using System.Globalization;
using Emc.Diagnostics;
using Emc.Onnx.Protobuf;
using Google.Protobuf;

namespace Emc.Onnx;

/// <summary>
/// Replaces external-data references (data_location = EXTERNAL, keys location/offset/length) with the bytes
/// they name, read from files inside the model's folder. Locations that are absolute, climb out with "..", or
/// reach outside through a symbolic link are rejected.
/// </summary>
internal sealed class ExternalDataResolver
{
    private readonly string? _modelPath;
    private readonly string? _baseDirectory;
    private readonly DiagnosticBag _diagnostics;

    public ExternalDataResolver(string? modelPath, string? baseDirectory, DiagnosticBag diagnostics)
    {
        _modelPath = modelPath;
        _baseDirectory = baseDirectory;
        _diagnostics = diagnostics;
    }

    public void ResolveAll(GraphProto graph)
    {
        foreach (var tensor in graph.Initializer)
        {
            Resolve(tensor);
        }

        foreach (var sparse in graph.SparseInitializer)
        {
            ResolveSparse(sparse);
        }

        foreach (var node in graph.Node)
        {
            foreach (var attribute in node.Attribute)
            {
                ResolveAttribute(attribute);
            }
        }
    }

    public void Resolve(TensorProto tensor)
    {
        if (tensor.DataLocation != TensorProto.Types.DataLocation.External)
        {
            return;
        }

        string name = tensor.Name;
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var entry in tensor.ExternalData)
        {
            switch (entry.Key)
            {
                case "location":
                    location = entry.Value;
                    break;
                case "offset" when !TryParseCount(entry.Value, out offset):
                    Error(OnnxDiagnostics.ExternalDataMissing, $"tensor '{name}': external data offset '{entry.Value}' is not a non-negative integer");
                    return;
                case "length":
                    if (!TryParseCount(entry.Value, out long l))
                    {
                        Error(OnnxDiagnostics.ExternalDataMissing, $"tensor '{name}': external data length '{entry.Value}' is not a non-negative integer");
                        return;
                    }

                    length = l;
                    break;
            }
        }

        if (string.IsNullOrEmpty(location))
        {
            Error(OnnxDiagnostics.ExternalDataMissing, $"tensor '{name}' is stored externally but has no 'location'");
            return;
        }

        string? file = ResolvePath(name, location);
        if (file is null)
        {
            return;
        }

        byte[]? bytes = ReadRange(name, location, file, offset, length);
        if (bytes is null)
        {
            return;
        }

        tensor.RawData = ByteString.CopyFrom(bytes);
        tensor.ExternalData.Clear();
        tensor.DataLocation = TensorProto.Types.DataLocation.Default;
    }

    private void ResolveSparse(SparseTensorProto sparse)
    {
        if (sparse.Values is not null)
        {
            Resolve(sparse.Values);
        }

        if (sparse.Indices is not null)
        {
            Resolve(sparse.Indices);
        }
    }

    private void ResolveAttribute(AttributeProto attribute)
    {
        if (attribute.T is not null)
        {
            Resolve(attribute.T);
        }

        foreach (var t in attribute.Tensors)
        {
            Resolve(t);
        }

        if (attribute.SparseTensor is not null)
        {
            ResolveSparse(attribute.SparseTensor);
        }

        if (attribute.G is not null)
        {
            ResolveAll(attribute.G);
        }

        foreach (var g in attribute.Graphs)
        {
            ResolveAll(g);
        }
    }

    private string? ResolvePath(string name, string location)
    {
        if (_baseDirectory is null)
        {
            Error(OnnxDiagnostics.ExternalDataMissing, $"tensor '{name}' is stored externally in '{location}', but the model was not read from a folder");
            return null;
        }

        string normalized = location.Replace('\\', '/');
        bool escapes = Path.IsPathRooted(location) || normalized.StartsWith('/') || normalized.Contains(':', StringComparison.Ordinal)
            || normalized.Split('/').Any(part => part == "..");
        string root = PathContainment.RealPath(Path.GetFullPath(_baseDirectory));
        string candidate = Path.GetFullPath(Path.Combine(root, normalized));
        if (escapes || !PathContainment.IsInside(root, candidate))
        {
            Error(OnnxDiagnostics.ExternalDataOutsideModel,
                $"tensor '{name}': external data location '{location}' is outside the model's folder; only relative paths inside it are allowed");
            return null;
        }

        if (!File.Exists(candidate))
        {
            Error(OnnxDiagnostics.ExternalDataMissing, $"tensor '{name}': external data file '{location}' not found beside the model");
            return null;
        }

        string real = PathContainment.RealPath(candidate);
        if (!PathContainment.IsInside(root, real))
        {
            Error(OnnxDiagnostics.ExternalDataOutsideModel,
                $"tensor '{name}': external data file '{location}' is a link to '{real}', outside the model's folder");
            return null;
        }

        return real;
    }

    private byte[]? ReadRange(string name, string location, string file, long offset, long? length)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            long size = stream.Length;
            if (offset > size)
            {
                Error(OnnxDiagnostics.ExternalDataMissing, Invariant($"tensor '{name}': offset {offset} is past the end of '{location}' ({size} bytes)"));
                return null;
            }

            long count = length ?? (size - offset);
            if (count > size - offset)
            {
                Error(OnnxDiagnostics.ExternalDataMissing, Invariant($"tensor '{name}': '{location}' is too short: {count} bytes at offset {offset} requested, {size - offset} present"));
                return null;
            }

            if (count > Array.MaxLength)
            {
                Error(OnnxDiagnostics.InvalidTensorData, Invariant($"tensor '{name}': {count} bytes of external data exceed the largest tensor supported"));
                return null;
            }

            var bytes = new byte[count];
            stream.Position = offset;
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Error(OnnxDiagnostics.ExternalDataMissing, $"tensor '{name}': cannot read external data file '{location}': {e.Message}");
            return null;
        }
    }

    private static bool TryParseCount(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 0;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private void Error(DiagnosticDescriptor descriptor, string message) =>
        _diagnostics.Add(descriptor.Create(message, _modelPath));
}
