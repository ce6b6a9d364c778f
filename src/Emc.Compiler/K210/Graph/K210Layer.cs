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

    public virtual bool OnKpu => false;

    /// <summary>Multiply-accumulates per inference (reports).</summary>
    public virtual long Macs => 0;

    public override string ToString() => $"{Kind} '{Name}'";
}
