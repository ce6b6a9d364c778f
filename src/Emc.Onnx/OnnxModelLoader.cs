using System.Globalization;
using Emc.Diagnostics;
using Emc.IO;
using Emc.Onnx.Protobuf;
using Google.Protobuf;

namespace Emc.Onnx;

/// <summary>
/// Reads an ONNX model file into <see cref="ModelProto"/>: protobuf decoding, IR version and opset checks and
/// external tensor data (read from files beside the model, never outside its folder). Bad input gives
/// diagnostics, never exceptions.
/// </summary>
public static class OnnxModelLoader
{
    /// <summary>Protobuf messages cannot exceed 2 GiB; larger files are not ONNX models.</summary>
    private const long MaxModelBytes = int.MaxValue;

    public static Result<ModelProto> Load(string path)
    {
        var diagnostics = new DiagnosticBag();
        byte[]? bytes = ReadFile(path, diagnostics);
        if (bytes is null)
        {
            return new Result<ModelProto>(null, diagnostics);
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        return Load(bytes, path, directory);
    }

    /// <param name="data">The serialized model.</param>
    /// <param name="path">The model's path, for diagnostics.</param>
    /// <param name="baseDirectory">Folder external data locations are relative to; null forbids external data.</param>
    public static Result<ModelProto> Load(ReadOnlyMemory<byte> data, string? path, string? baseDirectory)
    {
        var diagnostics = new DiagnosticBag();
        var model = Parse(data.Span, ModelProto.Parser, path, "model", diagnostics);
        if (model is null)
        {
            return new Result<ModelProto>(null, diagnostics);
        }

        CheckVersions(model, path, diagnostics);
        if (model.Graph is null)
        {
            diagnostics.Add(OnnxDiagnostics.MalformedModel.Create("the model has no graph", path));
        }
        else if (!diagnostics.HasErrors)
        {
            new ExternalDataResolver(path, baseDirectory, diagnostics).ResolveAll(model.Graph);
        }

        return new Result<ModelProto>(model, diagnostics);
    }

    /// <summary>Reads one serialized TensorProto (the ONNX test-data .pb format).</summary>
    public static Result<TensorProto> LoadTensor(string path)
    {
        var diagnostics = new DiagnosticBag();
        byte[]? bytes = ReadFile(path, diagnostics);
        TensorProto? tensor = bytes is null ? null : Parse(bytes, TensorProto.Parser, path, "tensor", diagnostics);
        if (tensor is not null && tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
            new ExternalDataResolver(path, directory, diagnostics).Resolve(tensor);
        }

        return new Result<TensorProto>(tensor, diagnostics);
    }

    public static Result<TensorProto> LoadTensor(ReadOnlySpan<byte> data, string? path)
    {
        var diagnostics = new DiagnosticBag();
        var tensor = Parse(data, TensorProto.Parser, path, "tensor", diagnostics);
        if (tensor is not null && tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            diagnostics.Add(OnnxDiagnostics.ExternalDataMissing.Create(
                $"tensor '{tensor.Name}' refers to external data, which a tensor read from memory cannot load", path));
        }

        return new Result<TensorProto>(tensor, diagnostics);
    }

    private static T? Parse<T>(ReadOnlySpan<byte> data, MessageParser<T> parser, string? path, string what, DiagnosticBag diagnostics)
        where T : class, IMessage<T>
    {
        if (data.IsEmpty)
        {
            diagnostics.Add(OnnxDiagnostics.MalformedModel.Create($"the {what} file is empty", path));
            return null;
        }

        try
        {
            // Parsing from a span bounds every length prefix by the bytes actually present, so a corrupt length
            // fails as truncated instead of allocating.
            return parser.ParseFrom(data);
        }
        catch (InvalidProtocolBufferException e)
        {
            diagnostics.Add(OnnxDiagnostics.MalformedModel.Create($"not a valid ONNX {what} protobuf: {e.Message}", path));
        }
        catch (Exception e) when (e is ArgumentException or OverflowException or InvalidOperationException or IndexOutOfRangeException)
        {
            diagnostics.Add(OnnxDiagnostics.MalformedModel.Create($"not a valid ONNX {what} protobuf: {e.Message}", path));
        }

        return null;
    }

    private static byte[]? ReadFile(string path, DiagnosticBag diagnostics)
    {
        // Regular files only (a FIFO would block, /dev/zero never ends); the size is checked before allocating.
        var kind = SafeFile.KindOf(path);
        if (kind == FileKind.Missing)
        {
            diagnostics.Add(OnnxDiagnostics.FileNotReadable.Create("file not found", path));
            return null;
        }

        if (kind != FileKind.Regular)
        {
            diagnostics.Add(OnnxDiagnostics.FileNotReadable.Create($"the path is {SafeFile.Describe(kind)}; only regular files are read", path));
            return null;
        }

        try
        {
            long length = new FileInfo(path).Length;
            if (length > MaxModelBytes)
            {
                diagnostics.Add(OnnxDiagnostics.MalformedModel.Create(
                    string.Create(CultureInfo.InvariantCulture, $"file is {length} bytes; a protobuf message is at most 2 GiB (store large weights as external data)"), path));
                return null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            diagnostics.Add(OnnxDiagnostics.FileNotReadable.Create($"cannot read the file: {e.Message}", path));
            return null;
        }

        byte[]? bytes = SafeFile.TryReadAll(path, MaxModelBytes, out string? error);
        if (bytes is null)
        {
            diagnostics.Add(OnnxDiagnostics.FileNotReadable.Create($"the file {error}", path));
        }

        return bytes;
    }

    private static void CheckVersions(ModelProto model, string? path, DiagnosticBag diagnostics)
    {
        long ir = model.IrVersion;
        if (ir < OnnxVersions.MinIrVersion)
        {
            diagnostics.Add(OnnxDiagnostics.UnsupportedIrVersion.Create(
                string.Create(CultureInfo.InvariantCulture, $"IR version {ir} is not supported (supported: {OnnxVersions.MinIrVersion}..{OnnxVersions.MaxIrVersion})"), path));
        }
        else if (ir > OnnxVersions.MaxIrVersion)
        {
            diagnostics.Add(OnnxDiagnostics.NewerThanTested.Create(
                string.Create(CultureInfo.InvariantCulture, $"IR version {ir} is newer than the newest tested ({OnnxVersions.MaxIrVersion}); reading it anyway"), path));
        }

        long? opset = DefaultOpset(model);
        if (opset is null)
        {
            // IR 3 files may omit opset_import for ai.onnx only when they use no operators.
            if (model.Graph is { Node.Count: > 0 } && model.Graph.Node.Any(n => OnnxVersions.IsDefaultDomain(n.Domain)))
            {
                diagnostics.Add(OnnxDiagnostics.UnsupportedOpset.Create("the model does not import the ai.onnx opset its nodes use", path));
            }
        }
        else if (opset < OnnxVersions.MinOpset)
        {
            diagnostics.Add(OnnxDiagnostics.UnsupportedOpset.Create(
                string.Create(CultureInfo.InvariantCulture, $"ai.onnx opset {opset} is not supported (supported: {OnnxVersions.MinOpset}..{OnnxVersions.MaxOpset}); re-export with opset {OnnxVersions.MinOpset} or newer"), path));
        }
        else if (opset > OnnxVersions.MaxOpset)
        {
            diagnostics.Add(OnnxDiagnostics.NewerThanTested.Create(
                string.Create(CultureInfo.InvariantCulture, $"ai.onnx opset {opset} is newer than the newest tested ({OnnxVersions.MaxOpset}); operators are read with their opset-{OnnxVersions.MaxOpset} semantics"), path));
        }
    }

    /// <summary>The ai.onnx opset a model imports, or null when it imports none.</summary>
    public static long? DefaultOpset(ModelProto model)
    {
        long? version = null;
        foreach (var id in model.OpsetImport)
        {
            if (OnnxVersions.IsDefaultDomain(id.Domain))
            {
                version = Math.Max(version ?? 0, id.Version);
            }
        }

        return version;
    }
}
