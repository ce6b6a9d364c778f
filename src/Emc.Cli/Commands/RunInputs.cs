using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Diagnostics;
using Emc.Onnx;
using Emc.Onnx.Protobuf;

namespace Emc.Cli.Commands;

/// <summary>
/// <c>emc run</c>'s inputs: TensorProto files bound by position to the ONNX graph's data inputs (those without an
/// initializer). Integer tensors are bound as compile-time constants (a Reshape's shape, Pad's pads), and float ones
/// too when the importer needs them constant (EMC0203: a Resize's scales), as the ONNX node tests feed them; an image
/// given as an input is refused with a pointer to <c>emc simulate</c>.
/// </summary>
internal static class RunInputs
{
    /// <summary>The imported graph and the tensors for its remaining (runtime) inputs, or null after diagnostics.</summary>
    public static (Graph Graph, List<(Tensor Tensor, FileInfo File)> Runtime)? Bind(string modelPath, IReadOnlyList<FileInfo> files, List<Diagnostic> diagnostics)
    {
        var loaded = OnnxModelLoader.Load(modelPath);
        diagnostics.AddRange(loaded.Diagnostics);
        if (loaded.Value is not { } model)
        {
            return null;
        }

        var tensors = new List<Tensor>();
        var read = new List<FileInfo>();
        foreach (var file in files)
        {
            var tensor = TensorProtoConverter.ReadFile(file.FullName);
            if (tensor.Value is null && ImageKind(file.FullName) is { } kind)
            {
                // Not the protobuf parser's complaint about varints: what the file is and which command takes it.
                diagnostics.Add(CliDiagnostics.RunInputNotTensor.Create(
                    $"'{DiagnosticText.Escape(file.Name)}' is a {kind} image, not a TensorProto: `emc run` evaluates the ONNX model on .pb tensors; did you mean `emc simulate model.kmodel --input {DiagnosticText.Escape(file.Name)}` (images are resized to the kmodel's input)?",
                    file.FullName));
                continue;
            }

            diagnostics.AddRange(tensor.Diagnostics);
            if (tensor.Value is not null)
            {
                tensors.Add(tensor.Value);
                read.Add(file);
            }
        }

        if (diagnostics.Any(d => d.IsError))
        {
            return null;
        }

        var initialized = model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var names = model.Graph.Input.Select(i => i.Name).Where(n => !initialized.Contains(n)).ToList();
        var constants = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        if (tensors.Count == names.Count)
        {
            for (int i = 0; i < names.Count; i++)
            {
                if (IsInteger(tensors[i].Type))
                {
                    constants[names[i]] = tensors[i];
                }
            }
        }

        while (true)
        {
            var imported = OnnxImporter.Import(model, modelPath, new ImportOptions { ConstantInputs = constants });
            if (imported.Value is { } graph)
            {
                diagnostics.AddRange(imported.Diagnostics);
                // With as many files as data inputs, the unbound ones run; otherwise the caller reports the count.
                var runtime = Enumerable.Range(0, tensors.Count)
                    .Where(i => tensors.Count != names.Count || !constants.ContainsKey(names[i]))
                    .Select(i => (tensors[i], read[i])).ToList();
                return (graph, runtime);
            }

            // Float inputs the importer needs constant (Resize scales, Clip bounds) are named by EMC0203.
            var needed = tensors.Count != names.Count ? [] : names.Where(n => !constants.ContainsKey(n)
                && imported.Diagnostics.Any(d => d.Code == "EMC0203" && d.Message.Contains($"'{n}'", StringComparison.Ordinal))).ToList();
            if (needed.Count == 0)
            {
                diagnostics.AddRange(imported.Diagnostics);
                return null;
            }

            foreach (string n in needed)
            {
                constants[n] = tensors[names.IndexOf(n)];
            }
        }
    }

    private static bool IsInteger(DataType type) =>
        type is DataType.Int64 or DataType.Int32 or DataType.Int16 or DataType.Int8 or DataType.UInt8 or DataType.UInt16 or DataType.UInt32 or DataType.UInt64;

    /// <summary>"BMP", "PNG" or "JPEG" when the file starts like one; null otherwise (or unreadable: the reader reports it).</summary>
    private static string? ImageKind(string path)
    {
        using var stream = Emc.IO.SafeFile.TryOpenRead(path, out _);
        if (stream is null)
        {
            return null;
        }

        Span<byte> head = stackalloc byte[4];
        int n = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        return n < 2 ? null
            : head[0] == 'B' && head[1] == 'M' ? "BMP"
            : n >= 4 && head[0] == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G' ? "PNG"
            : head[0] == 0xFF && head[1] == 0xD8 ? "JPEG"
            : null;
    }
}
