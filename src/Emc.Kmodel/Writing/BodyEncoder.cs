using System.Buffers.Binary;

namespace Emc.Kmodel;

/// <summary>Encodes a layer body into its (zeroed) slot of the declared body size.</summary>
internal static class BodyEncoder
{
    /// <summary>Bytes the body's fields occupy (before padding).</summary>
    public static long ContentSize(LayerBody body) => body switch
    {
        AddBody => AddBody.LayoutSize,
        QuantizedAddBody => QuantizedAddBody.LayoutSize,
        GlobalAveragePool2DBody => GlobalAveragePool2DBody.LayoutSize,
        QuantizedMaxPool2DBody => QuantizedMaxPool2DBody.LayoutSize,
        Pool2DBody => Pool2DBody.LayoutSize,
        QuantizeBody => QuantizeBody.LayoutSize,
        DequantizeBody => DequantizeBody.LayoutSize,
        RequantizeBody => RequantizeBody.LayoutSize,
        L2NormalizationBody => L2NormalizationBody.LayoutSize,
        SoftmaxBody => SoftmaxBody.LayoutSize,
        LogisticBody => LogisticBody.LayoutSize,
        ConcatBody b => ConcatBody.FixedSize + (8L * b.Inputs.Count),
        FullyConnectedBody b => FullyConnectedBody.FixedSize + (4L * (b.Weights.LongLength + b.Bias.LongLength)),
        TensorflowFlattenBody => TensorflowFlattenBody.LayoutSize,
        ResizeNearestNeighborBody => ResizeNearestNeighborBody.LayoutSize,
        ChannelwiseDequantizeBody b => ChannelwiseDequantizeBody.FixedSize + (8L * b.Parameters.Count),
        K210AddPaddingBody => K210AddPaddingBody.LayoutSize,
        K210RemovePaddingBody => K210RemovePaddingBody.LayoutSize,
        K210UploadBody => K210UploadBody.LayoutSize,
        K210ConvBody b => b.ContentEnd,
        RawLayerBody b => b.Bytes.Length,
        _ => throw new ArgumentException($"unknown body record {body.GetType().Name}", nameof(body)),
    };

    public static void Encode(LayerBody body, Span<byte> slot, long bodyStart)
    {
        var w = new FieldWriter(slot);
        if (body is RawLayerBody raw)
        {
            raw.Bytes.CopyTo(slot);
            return;
        }

        w.U(0, body.Flags);
        switch (body)
        {
            case AddBody b:
                w.U(1, b.InA, b.InB, b.Out, b.Count);
                break;
            case QuantizedAddBody b:
                w.U(1, b.InA, b.InB, b.Out, b.Count);
                w.I(5, b.AOffset, b.AMul, b.AShift, b.BOffset, b.BMul, b.BShift, b.OutOffset, b.OutMul, b.OutShift);
                break;
            case GlobalAveragePool2DBody b:
                w.U(1, b.In, b.Out, b.KernelSize, b.Channels);
                break;
            case QuantizedMaxPool2DBody b:
                w.U(1, b.In, b.Out);
                w.Window(3, b.Window);
                break;
            case Pool2DBody b:
                w.U(1, b.In, b.Out);
                w.Window(3, b.Window);
                w.U(15, b.Activation);
                break;
            case QuantizeBody b:
                w.U(1, b.In, b.Out, b.Count);
                w.F(4, b.Scale, b.Bias);
                break;
            case DequantizeBody b:
                w.U(1, b.In, b.Out, b.Count);
                w.F(4, b.Scale, b.Bias);
                break;
            case RequantizeBody b:
                w.U(1, b.In, b.Out, b.Count);
                b.Table.CopyTo(slot[16..]);
                break;
            case L2NormalizationBody b:
                w.U(1, b.In, b.Out, b.Channels);
                break;
            case SoftmaxBody b:
                w.U(1, b.In, b.Out, b.Channels);
                break;
            case LogisticBody b:
                w.U(1, b.In, b.Out, b.Channels);
                break;
            case ConcatBody b:
                w.U(1, b.Out, (uint)b.Inputs.Count);
                for (int i = 0; i < b.Inputs.Count; i++)
                {
                    w.U(3 + (2 * i), b.Inputs[i].Start, b.Inputs[i].Size);
                }

                break;
            case FullyConnectedBody b:
                w.U(1, b.In, b.Out, b.InChannels, b.OutChannels, b.Activation);
                w.Floats(FullyConnectedBody.FixedSize, b.Weights);
                w.Floats(FullyConnectedBody.FixedSize + (4 * b.Weights.Length), b.Bias);
                break;
            case TensorflowFlattenBody b:
                w.U(1, b.In, b.Out, b.Width, b.Height, b.Channels);
                break;
            case ResizeNearestNeighborBody b:
                w.U(1, b.In, b.Out, b.InWidth, b.InHeight, b.InChannels, b.OutWidth, b.OutHeight, b.AlignCorners);
                break;
            case ChannelwiseDequantizeBody b:
                w.U(1, b.In, b.Out, b.Channels, b.ChannelSize);
                for (int c = 0; c < b.Parameters.Count; c++)
                {
                    w.F(5 + (2 * c), b.Parameters[c].Scale, b.Parameters[c].Bias);
                }

                break;
            case K210AddPaddingBody b:
                w.U(1, b.MainMemIn, b.KpuMemOut, b.Channels);
                break;
            case K210RemovePaddingBody b:
                w.U(1, b.MainMemIn, b.MainMemOut, b.Channels);
                break;
            case K210UploadBody b:
                w.U(1, b.MainMemIn, b.KpuMemOut, b.Width, b.Height, b.Channels);
                break;
            case K210ConvBody b:
                EncodeConv(b, slot, bodyStart);
                break;
        }
    }

    private static void EncodeConv(K210ConvBody b, Span<byte> slot, long bodyStart)
    {
        var layout = b.Layout;
        var w = new FieldWriter(slot);
        w.U(1, b.MainMemOutAddress);
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

    private readonly ref struct FieldWriter(Span<byte> bytes)
    {
        private readonly Span<byte> _bytes = bytes;

        public void U(int field, params ReadOnlySpan<uint> values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(_bytes[(4 * (field + i))..], values[i]);
            }
        }

        public void I(int field, params ReadOnlySpan<int> values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(_bytes[(4 * (field + i))..], values[i]);
            }
        }

        public void F(int field, params ReadOnlySpan<float> values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(_bytes[(4 * (field + i))..], values[i]);
            }
        }

        public void Floats(int byteOffset, float[] values)
        {
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(_bytes[(byteOffset + (4 * i))..], values[i]);
            }
        }

        public void Window(int field, PoolWindow p) => U(field, p.InWidth, p.InHeight, p.InChannels, p.OutWidth, p.OutHeight,
            p.OutChannels, p.KernelWidth, p.KernelHeight, p.StrideWidth, p.StrideHeight, p.PadWidth, p.PadHeight);
    }
}
