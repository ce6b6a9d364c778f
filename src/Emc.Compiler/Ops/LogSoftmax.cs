namespace Emc.Compiler.Ops;

/// <summary>LogSoftmax (see <see cref="SoftmaxBase"/> for the opset-dependent axis semantics).</summary>
internal sealed class LogSoftmax : SoftmaxBase
{
    public override string OpType => "LogSoftmax";

    protected override bool Log => true;
}
