using Emc.Compiler.Compilation;
using Emc.Diagnostics;
using Emc.Onnx;

namespace Emc.Build.Tool;

/// <summary>
/// The model's inputs and outputs as declared in the ONNX graph — cheap (no import, no compile), for the
/// design-time wrapper. Symbolic or missing dimensions read as 1. Device-side types are what the compiler emits
/// for KPU models: uint8 input, float32 outputs; quantization values are left 0 until a real build.
/// </summary>
internal static class OnnxInterfaceReader
{
    public static Result<ModelInterface> Read(string path)
    {
        var loaded = OnnxModelLoader.Load(path);
        if (loaded.Value?.Graph is not { } graph)
        {
            return new Result<ModelInterface>(null, loaded.Diagnostics);
        }

        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(v => !initializers.Contains(v.Name))
            .Select(v => new TensorInterface(v.Name, Shape(v), InterfaceElementType.UInt8, 0, 0)).ToList();
        var outputs = graph.Output.Select(v => new TensorInterface(v.Name, Shape(v), InterfaceElementType.Float32, 0, 0)).ToList();
        return new Result<ModelInterface>(new ModelInterface(inputs, outputs), loaded.Diagnostics);
    }

    private static int[] Shape(Emc.Onnx.Protobuf.ValueInfoProto value)
    {
        var dims = value.Type?.TensorType?.Shape?.Dim;
        return dims is null ? [] : dims.Select(d => d.HasDimValue && d.DimValue > 0 && d.DimValue <= int.MaxValue ? (int)d.DimValue : 1).ToArray();
    }
}
