namespace Emc.Compiler.K210.Graph;

/// <summary>The lowered graph: layers in execution order, the device input and the model outputs.</summary>
internal sealed class K210Model
{
    public List<K210Layer> Layers { get; } = [];

    public K210Tensor? Input { get; set; }

    /// <summary>How the graph input's order relates to the planar device input (NCHW, or a folded NHWC/NWHC).</summary>
    public Lowering.InputLayout? InputLayout { get; set; }

    /// <summary>Model outputs (float32 or uint8 main-memory tensors) with their ONNX names.</summary>
    public List<(string Name, K210Tensor Tensor)> Outputs { get; } = [];
}
