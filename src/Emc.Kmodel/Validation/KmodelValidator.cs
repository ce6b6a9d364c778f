using System.Globalization;
using Emc.Diagnostics;
using Emc.Kmodel.Catalogue;

namespace Emc.Kmodel;

/// <summary>
/// Checks a decoded model against the runtime's rules: memory ranges, output table, per-layer fields and
/// K210_CONV registers. The reader runs it; compilers can run it on models they build.
/// </summary>
public static class KmodelValidator
{
    public static IReadOnlyList<Diagnostic> Validate(KmodelFile file, string? path = null)
    {
        var sink = new DiagnosticSink(path);
        Validate(file, sink);
        return sink.Bag;
    }

    internal static void Validate(KmodelFile file, DiagnosticSink sink)
    {
        long mainMem = file.Header.MainMemUsage;
        for (int i = 0; i < file.Outputs.Count; i++)
        {
            var output = file.Outputs[i];
            if ((long)output.Address + output.Size > mainMem)
            {
                sink.Report(KmodelDiagnostics.OutputOutOfRange, string.Create(CultureInfo.InvariantCulture,
                    $"output {i} [{output.Address}, {(long)output.Address + output.Size}) exceeds main_mem_usage {mainMem}"));
            }
        }

        for (int i = 0; i < file.Layers.Count; i++)
        {
            var body = file.Layers[i].Body;
            var entry = LayerCatalogue.For(body);
            if (entry is not null)
            {
                CheckRanges(body, entry.Footprint(body), mainMem, i, sink);
                entry.CheckFields(body, new FieldCheck(file.Header, i, body.Type, sink));
            }
        }

        CheckEnds(file, sink);
    }

    private static void CheckRanges(LayerBody body, IReadOnlyList<MemoryRange> ranges, long mainMem, int index, DiagnosticSink sink)
    {
        foreach (var range in ranges)
        {
            string what = string.Create(CultureInfo.InvariantCulture, $"{range.Name} [{range.Start}, {range.End})");
            if (range.Space == MemorySpace.Kpu)
            {
                if (range.End > KpuTensorLayout.TotalUnits)
                {
                    sink.Report(KmodelDiagnostics.KpuMemoryOutOfRange, index, body.Type, what + " units exceeds KPU RAM (32768 units)");
                }
            }
            else if (range.End > mainMem || (range.RoundedTo8 && range.AllocatedEnd > mainMem))
            {
                sink.Report(KmodelDiagnostics.MainMemoryOutOfRange, index, body.Type, string.Create(CultureInfo.InvariantCulture,
                    $"{what}{(range.RoundedTo8 ? " (written rounded up to 8 bytes)" : string.Empty)} exceeds main_mem_usage {mainMem}"));
            }
            else if (range.AllocatedEnd > mainMem)
            {
                sink.Report(KmodelDiagnostics.MainMemoryRoundedOutOfRange, index, body.Type, string.Create(CultureInfo.InvariantCulture,
                    $"{what} rounded up to 8 bytes exceeds main_mem_usage {mainMem}"));
            }
        }
    }

    private static void CheckEnds(KmodelFile file, DiagnosticSink sink)
    {
        if (file.Layers.Count == 0)
        {
            return;
        }

        var first = file.Layers[0].Body;
        if (first.Type is not (KmodelLayerType.K210Conv or KmodelLayerType.FullyConnected))
        {
            sink.Report(KmodelDiagnostics.FirstOrLastLayer, 0, first.Type, "the SDK requires the first layer to be K210_CONV or FULLY_CONNECTED");
        }

        int lastIndex = file.Layers.Count - 1;
        if (file.Layers[lastIndex].Body is K210ConvBody { MainMemOut: false })
        {
            sink.Report(KmodelDiagnostics.FirstOrLastLayer, lastIndex, KmodelLayerType.K210Conv,
                "the last layer is a conv without KLF_MAIN_MEM_OUT, so its output never reaches main memory");
        }
    }
}
