using Emc.Kmodel;

namespace Emc.Compiler.K210.Graph;

/// <summary>One layer of the lowered graph; becomes one kmodel layer (spec §4).</summary>
internal abstract class K210Layer
{
    protected K210Layer(string name, IReadOnlyList<K210Tensor> inputs, K210Tensor output)
    {
        Name = name;
        Inputs = inputs;
        Output = output;
    }

    /// <summary>The ONNX node(s) the layer implements, for reports and diagnostics.</summary>
    public string Name { get; }

    public IReadOnlyList<K210Tensor> Inputs { get; }

    public K210Tensor Output { get; }

    /// <summary>Extra tensors the layer writes (a KPU conv's main-memory copy).</summary>
    public virtual IEnumerable<K210Tensor> ExtraOutputs => [];

    public abstract string Kind { get; }

    /// <summary>How the layer takes part in tiling a layer or map too large for one KPU layer (per-layer report); null
    /// for layers that are not part of a tiling.</summary>
    public string? Tiling { get; set; }

    public virtual bool OnKpu => false;

    /// <summary>Multiply-accumulates per inference (reports).</summary>
    public virtual long Macs => 0;

    public override string ToString() => $"{Kind} '{Name}'";

    /// <summary>The kmodel body this layer emits, once quantized and memory-planned (spec §4.1).</summary>
    internal abstract LayerBody ToBody();

    /// <summary>A planned tensor's main-memory byte offset (or KPU unit) as a body field.</summary>
    private protected static uint At(K210Tensor t) => (uint)t.Address;

    /// <summary>A tensor's element count as a body field.</summary>
    private protected static uint Count(K210Tensor t) => (uint)t.ElementCount;
}
