using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>DepthToSpace (DCR or CRD): out[n, c, h·bs + a, w·bs + b] = in[n, channel(c, a, b), h, w], one loop nest over
/// the input phases with the channel computed by <see cref="DepthToSpaceParameters.InputChannel"/>.</summary>
internal sealed class DepthToSpaceTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["DepthToSpace"];

    public string? Check(Node node, long opset) => node.Parameters is DepthToSpaceParameters ? null : "no block size";

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var p = (DepthToSpaceParameters)node.Parameters!;
        int[] x = TailEmitter.Dims(node.Inputs[0]!);
        int bs = p.BlockSize, channels = x[1] / (bs * bs), h = x[2], w = x[3];
        string rx = e.Ref(node.Inputs[0]!), ry = e.Ref(node.Outputs[0]);
        string channel = p.ColumnRowDepth ? $"c * {bs * bs} + a * {bs} + b" : $"(a * {bs} + b) * {channels} + c";
        e.For("n", x[0], () => e.For("c", channels, () => e.For("a", bs, () => e.For("b", bs, () => e.For("i", h, () => e.For("j", w, () =>
            e.Line($"{ry}[((n * {channels} + c) * {h * bs} + i * {bs} + a) * {w * bs} + j * {bs} + b] = {rx}[((n * {x[1]} + {channel}) * {h} + i) * {w} + j];")))))));
    }
}
