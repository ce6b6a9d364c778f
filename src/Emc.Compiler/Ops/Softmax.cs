namespace Emc.Compiler.Ops;

/// <summary>Softmax (see <see cref="SoftmaxBase"/> for the opset-dependent axis semantics).</summary>
internal sealed class Softmax : SoftmaxBase
{
    public override string OpType => "Softmax";

    protected override bool Log => false;
}
