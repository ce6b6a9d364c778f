using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Memory;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Emission;

/// <summary>Turns a quantized, memory-planned lowered model into kmodel v3 records.</summary>
internal static class KmodelEmitter
{
    public static KmodelFile Emit(K210Model model, MemoryPlan plan, int weightBits)
    {
        var bodies = new List<LayerBody>(model.Layers.Count);
        foreach (var layer in model.Layers)
        {
            bodies.Add(layer.ToBody());
        }

        uint flags = weightBits == 8 ? 1u : 0u;
        var header = new KmodelHeader(KmodelHeader.Version3, flags, 0, (uint)plan.LowestKpuUnit, (uint)Math.Max(8, plan.MainMemoryUsage));
        var outputs = model.Outputs.Select(o => new KmodelOutput((uint)o.Tensor.Address, (uint)o.Tensor.Bytes)).ToList();
        return KmodelBuilder.Build(header, outputs, bodies);
    }
}
