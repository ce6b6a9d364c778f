namespace Emc.Build.Tool;

/// <summary>Files outside the .onnx that a compile reads, recorded in the marker with the other inputs (<see cref="InputStamp"/>).</summary>
internal static class ExternalDataFiles
{
    /// <summary>
    /// The external-data files the model names (resolved beside it, as the loader does): the compile reads them too,
    /// so they are recorded with the other inputs. Empty when the model cannot be parsed (the compile reports why).
    /// </summary>
    public static IEnumerable<string> Of(string onnxPath)
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
}
