using Emc.Compiler.Quantization;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Graph;

/// <summary>K210_ADD_PADDING: byte c of a main-memory vector → pixel (0, 0) of channel c of a 4×4 KPU map (spec §4.1).</summary>
internal sealed class AddPaddingLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "add padding";

    internal override LayerBody ToBody() => new K210AddPaddingBody(At(Inputs[0]), At(Output), (uint)Inputs[0].Channels);
}

/// <summary>K210_REMOVE_PADDING: <c>out[c] = in[c·16]</c>, pixel (0, 0) of each 4×4 plane of a conv's main-memory output.</summary>
internal sealed class RemovePaddingLayer(string name, K210Tensor input, K210Tensor output) : K210Layer(name, [input], output)
{
    public override string Kind => "remove padding";

    internal override LayerBody ToBody() => new K210RemovePaddingBody(At(Inputs[0]), At(Output), (uint)Output.Channels);
}
