using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Inference BatchNormalization with constant statistics, as the float evaluator computes it: per channel
/// (axis 1) m = scale/√(var + ε) and o = bias − mean·m, folded here; y = x·m + o.</summary>
internal sealed class BatchNormTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["BatchNormalization"];

    public string? Check(Node node, long opset) =>
        node.Parameters is not BatchNormParameters ? "no epsilon"
        : node.Inputs.Count < 5 || node.Inputs.Skip(1).Take(4).Any(v => v?.Constant is null) ? "statistics are not constant"
        : node.Outputs.Skip(1).Any(o => o.Consumers.Count > 0) ? "training outputs are used"
        : null;

    public void Emit(Node node, long opset, TailEmitter e)
    {
        float epsilon = ((BatchNormParameters)node.Parameters!).Epsilon;
        float[] scale = node.Inputs[1]!.Constant!.ToFloatArray(), bias = node.Inputs[2]!.Constant!.ToFloatArray();
        float[] mean = node.Inputs[3]!.Constant!.ToFloatArray(), variance = node.Inputs[4]!.Constant!.ToFloatArray();
        var multiplier = new float[scale.Length];
        var offset = new float[scale.Length];
        for (int c = 0; c < scale.Length; c++)
        {
            multiplier[c] = scale[c] / MathF.Sqrt(variance[c] + epsilon);
            offset[c] = bias[c] - (mean[c] * multiplier[c]);
        }

        int[] dims = TailEmitter.Dims(node.Outputs[0]);
        int channels = dims.Length > 1 ? dims[1] : 1;
        int plane = (int)dims.Skip(2).Aggregate(1L, (a, d) => a * d);
        string rm = e.Ref(Constant(node, "multiplier", multiplier)), ro = e.Ref(Constant(node, "offset", offset));
        string x = e.Ref(node.Inputs[0]!), y = e.Ref(node.Outputs[0]);
        e.ForEach([dims[0], channels, plane], i =>
        {
            string at = TailEmitter.Offset(i, [(long)channels * plane, plane, 1]);
            e.Line($"{y}[{at}] = {x}[{at}] * {rm}[{i[1]}] + {ro}[{i[1]}];");
        });
    }

    private static Value Constant(Node node, string what, float[] data) =>
        new(node.Name + "/" + what, DataType.Float32, new Shape(data.Length)) { Constant = Tensor.Create(new Shape(data.Length), data) };
}
