using System.Buffers.Binary;
using Emc.Kmodel.Simulation;
using Emc.Kmodel.Simulation.Steps;
using static Emc.Kmodel.Catalogue.Footprints;

namespace Emc.Kmodel.Catalogue;

/// <summary>
/// K210_CONV (10240, spec §5): the argument block, then register words, weights, batch-norm words and the
/// activation table at absolute file offsets (<see cref="ConvDecoder"/>, <see cref="ConvRegisterRules"/>,
/// <see cref="ConvLayerDecoder"/> hold the detail).
/// </summary>
internal sealed class K210ConvEntry : LayerEntry<K210ConvBody>
{
    public override IReadOnlyList<KmodelLayerType> Types { get; } = [KmodelLayerType.K210Conv];

    public override bool IsRunByStockSdk(KmodelLayerType type) => true;

    public override (LayerBody? Body, long ContentSize) Read(KmodelLayerType type, in BodySource source) =>
        ConvDecoder.Decode(source.File, source.Start, source.Declared, source.Available, source.Header.WeightBytes, source.Index, source.Sink);

    protected override long Size(K210ConvBody b) => b.ContentEnd;

    protected override void Encode(K210ConvBody b, Span<byte> slot, long bodyStart)
    {
        var layout = b.Layout;
        var w = new BodyFieldWriter(slot);
        w.U(0, b.Flags, b.MainMemOutAddress);
        w.U(2, Absolute(layout.RegistersOffset), Absolute(layout.WeightsOffset), Absolute(layout.BatchNormOffset), Absolute(layout.ActivationOffset));
        for (int i = 0; i < KpuLayerArgument.WordCount; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(slot[((int)layout.RegistersOffset + (8 * i))..], b.Registers[i]);
        }

        b.Weights.CopyTo(slot[(int)layout.WeightsOffset..]);
        for (int c = 0; c < b.BatchNorm.Length; c++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(slot[((int)layout.BatchNormOffset + (8 * c))..], b.BatchNorm[c].Encode());
        }

        var segments = b.Activation.Segments;
        if (segments.Length != KpuActivationTable.SegmentCount)
        {
            throw new ArgumentException($"an activation table has {KpuActivationTable.SegmentCount} segments, not {segments.Length}", nameof(b));
        }

        var act = slot[(int)layout.ActivationOffset..];
        for (int s = 0; s < segments.Length; s++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(act[(8 * s)..], segments[s].Encode());
            act[128 + s] = segments[s].Bias;
        }

        uint Absolute(uint relative) => checked((uint)(bodyStart + relative));
    }

    protected override IReadOnlyList<MemoryRange> Ranges(K210ConvBody b)
    {
        var r = b.Registers;
        var src = new MemoryRange("image_src_addr", MemorySpace.Kpu, false, r.ImageSrcAddr, KpuTensorLayout.SizeInUnits(r.InWidth, r.InHeight, r.InChannels));
        var dst = new MemoryRange("image_dst_addr", MemorySpace.Kpu, true, r.ImageDstAddr, KpuTensorLayout.SizeInUnits(r.OutWidth, r.OutHeight, r.OutChannels));
        if (!b.MainMemOut)
        {
            return [src, dst];
        }

        // The output DMA moves whole 8-byte words.
        return [src, dst, Out("main_mem_out_address", b.MainMemOutAddress, SaturatingMath.Mul(r.OutWidth, r.OutHeight, r.OutChannels), rounded: true)];
    }

    protected override void Check(K210ConvBody b, FieldCheck check) => ConvRegisterRules.Check(b, check.Header.WeightBytes, check.Index, check.Sink);

    protected override SimulationStep? Step(K210ConvBody b, StepContext context)
    {
        var parameters = ConvLayerDecoder.Decode(b, context.Header.EightBitWeights, context.Options.Rounding, context.Check);
        return parameters is null ? null : new ConvStep(context.Index, new KpuConvEngine(parameters));
    }
}
