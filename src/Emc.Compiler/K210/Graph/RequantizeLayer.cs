using Emc.Compiler.K210.Lowering.Fusions;
using Emc.Compiler.Quantization;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Graph;

/// <summary>
/// REQUANTIZE: uint8 → uint8 through a 256-entry table. Without a function it moves values from the input's to the
/// output's quantization; with one it computes y = f(x) for each of the 256 input codes — exact up to the rounding
/// of y to the output's quantization, which every uint8 tensor gets anyway.
/// </summary>
internal sealed class RequantizeLayer(string name, K210Tensor input, K210Tensor output, ElementwiseCone? function = null)
    : K210Layer(name, [input], output)
{
    public ElementwiseCone? Function { get; } = function;

    public override string Kind => Function is null ? "requantize" : "table " + string.Join("·", Function.Nodes.Select(n => n.OpType));

    internal override LayerBody ToBody() => new RequantizeBody(At(Inputs[0]), At(Output), Count(Output), Table());

    private byte[] Table()
    {
        var input = Inputs[0].Quant!.Value;
        var output = Output.Quant!.Value;
        if (Function is null)
        {
            return QuantizedAddParameters.RequantizeTable(input, output);
        }

        var xs = Enumerable.Range(0, 256).Select(q => input.Dequantize(q)).ToArray();
        var ys = Function.Evaluate(xs);
        var table = new byte[256];
        for (int q = 0; q < 256; q++)
        {
            // NaN (e.g. a log of a negative code's value) has no uint8 code; it maps to real zero.
            table[q] = (byte)output.Quantize(double.IsNaN(ys[q]) ? 0 : ys[q]);
        }

        return table;
    }
}
