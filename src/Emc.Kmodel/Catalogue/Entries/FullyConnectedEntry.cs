using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>FULLY_CONNECTED (18): float32 matrix-vector product, bias and activation; weights and bias follow the fields.</summary>
internal sealed class FullyConnectedEntry : FieldLayoutEntry<FullyConnectedBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.FullyConnected];

    protected override int FixedSize => FullyConnectedBody.FixedSize;

    protected override bool HasCounts => true;

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    protected override long SizeWithCounts(BodyFields f) => SaturatingMath.Add(
        FixedSize, SaturatingMath.Mul(4, SaturatingMath.Add(SaturatingMath.Mul(f.U(3), f.U(4)), f.U(4))));

    protected override FullyConnectedBody Decode(KmodelLayerType type, BodyFields f, ReadOnlySpan<byte> body)
    {
        uint inChannels = f.U(3);
        uint outChannels = f.U(4);
        int weightCount = checked((int)(inChannels * (long)outChannels));
        float[] weights = f.Floats(FullyConnectedBody.FixedSize, weightCount);
        float[] bias = f.Floats(FullyConnectedBody.FixedSize + (4 * weightCount), (int)outChannels);
        return new FullyConnectedBody(f.U(1), f.U(2), inChannels, outChannels, f.U(5), weights, bias);
    }

    protected override long Size(FullyConnectedBody b) => FullyConnectedBody.FixedSize + (4L * (b.Weights.LongLength + b.Bias.LongLength));

    protected override void Encode(FullyConnectedBody b, BodyFieldWriter w)
    {
        w.U(1, b.In, b.Out, b.InChannels, b.OutChannels, b.Activation);
        w.Floats(FullyConnectedBody.FixedSize, b.Weights);
        w.Floats(FullyConnectedBody.FixedSize + (4 * b.Weights.Length), b.Bias);
    }

    protected override IReadOnlyList<MemoryRange> Ranges(FullyConnectedBody b) =>
        [In("in", b.In, F32 * b.InChannels), Out("out", b.Out, F32 * b.OutChannels)];

    protected override void Check(FullyConnectedBody b, FieldCheck check)
    {
        if (b.Activation > 2)
        {
            check.Invalid($"activation {b.Activation} is not 0 (linear), 1 (ReLU) or 2 (ReLU6)");
        }

        if (b.Weights.LongLength != (long)b.InChannels * b.OutChannels || b.Bias.Length != b.OutChannels)
        {
            check.Invalid($"{b.Weights.Length} weights and {b.Bias.Length} biases do not match {b.InChannels}→{b.OutChannels}");
        }
    }

    protected override SimulationStep? Step(FullyConnectedBody b, StepContext context)
    {
        var c = context.Check;
        context.CheckMain(Ranges(b));
        c.Require(b.Weights.LongLength >= (long)b.InChannels * b.OutChannels && b.Bias.LongLength >= b.OutChannels,
            SimulatorDiagnostics.LayerParameters, StepContext.Text($"weights/bias arrays are shorter than {b.InChannels}×{b.OutChannels}"));
        c.AddWork(LayerChecker.Product(b.InChannels, b.OutChannels));
        return c.Failed ? null : new FullyConnectedStep(context.Index, b);
    }
}
