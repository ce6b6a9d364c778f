using System.Globalization;
using System.Text;

namespace Emc.Build.Tool;

/// <summary>
/// What a compile read: the size and last-write time of the model, its options stamp, every dataset file and the
/// external-data files the model names, taken BEFORE the compile starts and stored as the text of the model's
/// "compiled" marker. MSBuild's own check (inputs newer than the marker) misses a model saved while it was being compiled (the marker is stamped after) and a
/// replacement copied with an older time (<c>cp -p</c>); the task EmcResolveModels compares the recorded text
/// with the files as they are now and forgets the marker on any difference, so the next build recompiles.
/// </summary>
internal static class InputStamp
{
    public static IEnumerable<string> InputsOf(IModelItem model) =>
        new[] { model.ItemSpec, model.GetMetadata(ModelMetadata.OptionsFile) }
            .Concat(model.GetMetadata(ModelMetadata.DatasetFiles).Split(';', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length > 0);

    /// <summary>One line per input: size, last-write ticks (UTC), path; a missing file has size -1.</summary>
    public static string Take(IEnumerable<string> paths)
    {
        var text = new StringBuilder("emc-inputs 1\n");
        foreach (string path in paths)
        {
            long size = -1, ticks = 0;
            try
            {
                var info = new FileInfo(path);
                if (info.Exists)
                {
                    size = info.Length;
                    ticks = info.LastWriteTimeUtc.Ticks;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                size = -2;
            }

            text.Append(CultureInfo.InvariantCulture, $"{size} {ticks} {path}\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// The external-data files the model names (resolved beside it, as the loader does): the compile reads them too,
    /// so they are recorded with the other inputs. Empty when the model cannot be parsed (the compile reports why).
    /// </summary>
    public static IEnumerable<string> ExternalDataFiles(string onnxPath)
    {
        byte[]? bytes = Emc.IO.SafeFile.TryReadAll(onnxPath, int.MaxValue, out _);
        if (bytes is null)
        {
            return [];
        }

        try
        {
            var model = Emc.Onnx.Protobuf.ModelProto.Parser.ParseFrom(bytes);
            string directory = Path.GetDirectoryName(Path.GetFullPath(onnxPath))!;
            var files = new SortedSet<string>(StringComparer.Ordinal);
            void Tensor(Emc.Onnx.Protobuf.TensorProto? t)
            {
                if (t is { DataLocation: Emc.Onnx.Protobuf.TensorProto.Types.DataLocation.External })
                {
                    foreach (var entry in t.ExternalData.Where(e => e.Key == "location"))
                    {
                        files.Add(Path.GetFullPath(Path.Combine(directory, entry.Value)));
                    }
                }
            }

            void Graph(Emc.Onnx.Protobuf.GraphProto? g, int depth)
            {
                if (g is null || depth > 16)
                {
                    return;
                }

                foreach (var t in g.Initializer)
                {
                    Tensor(t);
                }

                foreach (var sparse in g.SparseInitializer)
                {
                    Tensor(sparse.Values);
                    Tensor(sparse.Indices);
                }

                foreach (var a in g.Node.SelectMany(n => n.Attribute))
                {
                    Tensor(a.T);
                    foreach (var t in a.Tensors)
                    {
                        Tensor(t);
                    }

                    Graph(a.G, depth + 1);
                    foreach (var sub in a.Graphs)
                    {
                        Graph(sub, depth + 1);
                    }
                }
            }

            Graph(model.Graph, 0);
            return files;
        }
        catch (Exception e) when (e is Google.Protobuf.InvalidProtocolBufferException or ArgumentException or IOException or NotSupportedException)
        {
            return [];
        }
    }

    /// <summary>
    /// True when the marker records the inputs exactly as they are now: every recorded file (model, options,
    /// dataset, external data) has its recorded size and time, and no current input is missing from the record.
    /// </summary>
    public static bool Matches(string markerPath, IModelItem model)
    {
        try
        {
            var info = new FileInfo(markerPath);
            if (!info.Exists || info.Length > 16 << 20)
            {
                return false;
            }

            string text = File.ReadAllText(markerPath);
            var recorded = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(line => line.Split(' ', 3))
                .Where(parts => parts.Length == 3)
                .Select(parts => parts[2])
                .ToList();
            var set = new HashSet<string>(recorded, StringComparer.Ordinal);
            return text.StartsWith("emc-inputs 1\n", StringComparison.Ordinal)
                && InputsOf(model).All(set.Contains)
                && Take(recorded) == text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
