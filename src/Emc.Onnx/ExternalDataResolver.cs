using System.Globalization;
using Emc.Diagnostics;
using Emc.IO;
using Emc.Onnx.Protobuf;
using Google.Protobuf;

namespace Emc.Onnx;

/// <summary>
/// Replaces external-data references (data_location = EXTERNAL, keys location/offset/length) with the bytes
/// they name, read from files inside the model's folder. Locations that are absolute, climb out with "..", or
/// reach outside through a symbolic link are rejected. Only regular files are opened (a FIFO would block), and the
/// byte count is checked against the tensor's declared shape and <see cref="MaxTensorBytes"/> before anything is
/// allocated or read.
/// </summary>
internal sealed class ExternalDataResolver
{
    /// <summary>
    /// Largest external tensor read (256 MiB). The K210 has 16 MB of flash and 6 MB of SRAM: no compilable model has
    /// a larger weight, and a corrupt or hostile shape must not make the host allocate gigabytes.
    /// </summary>
    public const long MaxTensorBytes = 256L << 20;

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

        long? expected = DeclaredBytes(tensor);
        if (expected is { } need)
        {
            if (need > MaxTensorBytes)
            {
                Error(OnnxDiagnostics.InvalidTensorData, Invariant(
                    $"tensor '{name}' of shape [{string.Join(',', tensor.Dims)}] needs {need} bytes; at most {MaxTensorBytes} bytes of external data are read per tensor (the K210 has 16 MB of flash)"));
                return;
            }

            if (length is { } declared && declared != need)
            {
                Error(OnnxDiagnostics.InvalidTensorData, Invariant(
                    $"tensor '{name}' of shape [{string.Join(',', tensor.Dims)}] needs {need} bytes, its external data length is {declared}"));
                return;
            }
        }
        else if (length is { } declared && declared > MaxTensorBytes)
        {
            Error(OnnxDiagnostics.InvalidTensorData, Invariant($"tensor '{name}': external data length {declared} exceeds the {MaxTensorBytes}-byte limit per tensor"));
            return;
        }

        byte[]? bytes = ReadRange(name, location, file, offset, length, expected);
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

        var kind = SafeFile.KindOf(candidate);
        if (kind == FileKind.Missing)
        {
            Error(OnnxDiagnostics.ExternalDataMissing, $"tensor '{name}': external data file '{location}' not found beside the model");
            return null;
        }

        if (kind != FileKind.Regular)
        {
            Error(OnnxDiagnostics.ExternalDataMissing, $"tensor '{name}': external data file '{location}' is {SafeFile.Describe(kind)}; only regular files are read");
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

    private byte[]? ReadRange(string name, string location, string file, long offset, long? length, long? expected)
    {
        try
        {
            using var stream = SafeFile.TryOpenRead(file, out string? error);
            if (stream is null)
            {
                Error(OnnxDiagnostics.ExternalDataMissing, $"tensor '{name}': external data file '{location}' {error}");
                return null;
            }

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

            if (expected is { } need && count != need)
            {
                Error(OnnxDiagnostics.InvalidTensorData, Invariant(
                    $"tensor '{name}' needs {need} bytes; '{location}' holds {count} bytes from offset {offset} to its end (give a 'length' when several tensors share a file)"));
                return null;
            }

            if (count > MaxTensorBytes)
            {
                Error(OnnxDiagnostics.InvalidTensorData, Invariant($"tensor '{name}': {count} bytes of external data exceed the {MaxTensorBytes}-byte limit per tensor"));
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

    /// <summary>
    /// Bytes the tensor's dims and element type need, null when the type has no fixed size (strings, packed 4-bit)
    /// or the dims are invalid (the converter reports those); long.MaxValue on overflow.
    /// </summary>
    internal static long? DeclaredBytes(TensorProto tensor)
    {
        int elementSize = tensor.DataType switch
        {
            1 or 6 or 12 => 4,          // float, int32, uint32
            2 or 3 or 9 or (>= 17 and <= 20) => 1, // uint8, int8, bool, float8 variants
            4 or 5 or 10 or 16 => 2,    // uint16, int16, float16, bfloat16
            7 or 11 or 13 or 14 => 8,   // int64, double, uint64, complex64
            15 => 16,                   // complex128
            _ => 0,
        };
        if (elementSize == 0 || tensor.Dims.Any(d => d < 0))
        {
            return null;
        }

        long total = elementSize;
        foreach (long d in tensor.Dims)
        {
            if (d == 0)
            {
                return 0;
            }

            total = total <= long.MaxValue / d ? total * d : long.MaxValue;
        }

        return total;
    }

    private static bool TryParseCount(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 0;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private void Error(DiagnosticDescriptor descriptor, string message) =>
        _diagnostics.Add(descriptor.Create(message, _modelPath));
}
