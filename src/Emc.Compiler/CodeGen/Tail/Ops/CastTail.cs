using Emc.Compiler.Ir;

namespace Emc.Compiler.CodeGen.Tail.Ops;

/// <summary>Cast between the tail's types (float32, int64, bool): float → int64 truncates toward zero, NaN gives 0 and
/// out-of-range values saturate, as the evaluator converts; to bool is "not zero"; from bool 0 or 1.</summary>
internal sealed class CastTail : ITailOpGenerator
{
    public IReadOnlyList<string> OpTypes { get; } = ["Cast"];

    public string? Check(Node node, long opset) => null;

    public void Emit(Node node, long opset, TailEmitter e)
    {
        var (x, y) = (node.Inputs[0]!, node.Outputs[0]);
        string rx = e.Ref(x), ry = e.Ref(y);
        var l = e.Language;
        e.For("i", y.Shape!.ElementCount, () =>
        {
            if (x.Type == DataType.Float32 && y.Type == DataType.Int64)
            {
                e.Line($"float v = {rx}[i];");
                e.Line($"{ry}[i] = {l.IsNan("v")} ? 0 : v >= 9.2233720368547758e18f ? {l.Int(long.MaxValue)} : v <= -9.2233720368547758e18f ? {l.Int(long.MinValue + 1)} - 1 : ({l.Int64})v;");
            }
            else if (y.Type == DataType.Bool)
            {
                e.Line($"{ry}[i] = {l.Truth($"{rx}[i] != 0")};");
            }
            else
            {
                e.Line($"{ry}[i] = ({l.TypeOf(y.Type)}){rx}[i];");
            }
        });
    }
}
