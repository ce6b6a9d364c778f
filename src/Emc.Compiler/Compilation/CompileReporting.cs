using Emc.Compiler.Analysis;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Memory;
using Emc.Kmodel;

namespace Emc.Compiler.Compilation;

/// <summary>Builds the <see cref="CompileReport"/> of a compiled model.</summary>
internal static class CompileReporting
{
    public static CompileReport Build(K210Model model, MemoryPlan plan, int modelBytes, IReadOnlyList<OutputAccuracy> accuracy, KmodelFile? kmodel = null,
        IReadOnlyList<LayerAccuracy>? layerAccuracy = null)
    {
        // Layers map one to one onto the emitted kmodel's layers; the estimate and the timeline read the kmodel.
        bool sameLayers = kmodel is not null && kmodel.Layers.Count == model.Layers.Count;
        var costs = sameLayers ? KmodelCostModel.EstimateAll(kmodel!) : null;
        var memory = sameLayers ? KmodelMemoryTimeline.Compute(kmodel!) : null;
        var sqnr = (layerAccuracy ?? []).ToDictionary(a => a.Index, a => a.SqnrDb);
        var layers = new List<LayerReport>();
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var l = model.Layers[i];
            var input = l.Inputs[0];
            long weightBytes = l switch
            {
                KpuConvLayer c => c.Parameters?.WeightBytes.Length ?? 0,
                FullyConnectedLayer f => 4L * (f.Weights.Length + f.Bias.Length),
                _ => 0,
            };
            string placement = string.Join(" → ", l.Inputs.Select(Place)) + " ⇒ " + string.Join(", ", l.ExtraOutputs.Prepend(l.Output).Select(Place));
            (float, float)? range = l.Output.Quant is { } q ? ((float)q.Range().Min, (float)q.Range().Max) : null;
            layers.Add(new LayerReport(i, l.Kind, l.OnKpu, [input.Channels, input.Height, input.Width], [l.Output.Channels, l.Output.Height, l.Output.Width],
                l.Macs, weightBytes, placement, l.Name, range)
            {
                EstimatedMicroseconds = costs?[i].EstimatedMicroseconds ?? 0,
                EstimateBasis = costs?[i].Dominant ?? "",
                MainMemoryInUse = memory?[i].MainBytes ?? 0,
                KpuMemoryInUse = memory?[i].KpuBytes ?? 0,
                SqnrDb = sqnr.TryGetValue(i, out double db) ? db : null,
                Tiling = l.Tiling,
                Placements = [.. l.Inputs.Select(t => Placement("input", t)), .. l.ExtraOutputs.Prepend(l.Output).Select(t => Placement("output", t))],
            });
        }

        return new CompileReport(layers, model.Layers.Where(l => l.OnKpu).Sum(l => l.Macs), model.Layers.Where(l => !l.OnKpu).Sum(l => l.Macs),
            modelBytes, (int)plan.MainMemoryUsage, (int)plan.KpuUnitsUsed, accuracy)
        {
            EstimatedMicroseconds = layers.Sum(l => l.EstimatedMicroseconds),
        };
    }

    private static TensorPlacement Placement(string role, K210Tensor t) => t.Memory == K210MemoryKind.Kpu
        ? new(role, "kpu", t.Address, t.Address + MemoryPlanner.KpuUnits(t))
        : new(role, "main", t.Address, t.Address + t.Bytes);

    private static string Place(K210Tensor t) => t.Memory == K210MemoryKind.Kpu
        ? $"kpu[{t.Address}..{t.Address + MemoryPlanner.KpuUnits(t)})"
        : $"main[{t.Address}..{t.Address + t.Bytes})";
}
