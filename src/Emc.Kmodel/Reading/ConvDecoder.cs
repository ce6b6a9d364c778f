using System.Buffers.Binary;
using System.Globalization;

namespace Emc.Kmodel;

/// <summary>
/// Decodes a K210_CONV body (spec §5.1): the argument block, then the register words, weights, batch-norm
/// words and activation table found through absolute file offsets that must lie inside the body.
/// </summary>
internal static class ConvDecoder
{
    private const KmodelLayerType Conv = KmodelLayerType.K210Conv;

    public static (LayerBody? Body, long ContentSize) Decode(
        ReadOnlySpan<byte> file, long bodyStart, uint declared, int available, int weightBytes, int index, DiagnosticSink sink)
    {
        if (declared < K210ConvLayout.ArgumentSize || available < K210ConvLayout.ArgumentSize)
        {
            var descriptor = declared < K210ConvLayout.ArgumentSize ? KmodelDiagnostics.BodyTooSmall : KmodelDiagnostics.BodyOutOfBounds;
            sink.Report(descriptor, index, Conv, "the body cannot hold the 24-byte argument block");
            return (null, 0);
        }

        var body = file.Slice((int)bodyStart, available);
        var args = new BodyFields(body);
        uint flags = args.U(0);
        uint mainMemOut = args.U(1);

        if (!Locate("layer_offset", args.U(2), KpuLayerArgument.ByteSize, 8, out uint regsAt))
        {
            return (null, 0);
        }

        var registers = ReadRegisters(body.Slice((int)regsAt, KpuLayerArgument.ByteSize));
        int k = registers.KernelSize;
        if (k == 0)
        {
            sink.Report(KmodelDiagnostics.RegisterInvalid, index, Conv, string.Create(
                CultureInfo.InvariantCulture, $"kernel_type {registers.KernelType} is neither 0 (1×1) nor 1 (3×3)"));
            return (null, 0);
        }

        long weightsSize = WeightsSize(registers, weightBytes);
        long bnSize = KpuBatchNorm.ByteSize * (long)registers.OutChannels;
        if (!Locate("weights_offset", args.U(3), weightsSize, 1, out uint weightsAt)
            | !Locate("bn_offset", args.U(4), bnSize, 8, out uint bnAt)
            | !Locate("act_offset", args.U(5), KpuActivationTable.ByteSize, 8, out uint actAt))
        {
            return (null, 0);
        }

        var layout = new K210ConvLayout(regsAt, weightsAt, bnAt, actAt);
        var result = new K210ConvBody(
            flags,
            mainMemOut,
            registers,
            body.Slice((int)weightsAt, (int)weightsSize).ToArray(),
            ReadBatchNorm(body.Slice((int)bnAt, (int)bnSize)),
            ReadActivation(body.Slice((int)actAt, KpuActivationTable.ByteSize)),
            layout);
        CheckGaps(body, layout, result, index, sink);
        return (result, result.ContentEnd);

        // Checks that an absolute offset points into this body with room for `size` bytes; gives it relative.
        bool Locate(string field, uint absolute, long size, int alignment, out uint relative)
        {
            relative = 0;
            long offset = absolute - bodyStart;
            if (offset < 0 || offset + size > declared)
            {
                sink.Report(KmodelDiagnostics.ConvOffsetOutOfBody, index, Conv, string.Create(CultureInfo.InvariantCulture,
                    $"{field} {absolute} (+{size} bytes) is outside the body [{bodyStart}, {bodyStart + declared})"));
                return false;
            }

            if (offset + size > available)
            {
                sink.Report(KmodelDiagnostics.BodyOutOfBounds, index, Conv, string.Create(CultureInfo.InvariantCulture,
                    $"{field} {absolute} (+{size} bytes) runs past the end of the file"));
                return false;
            }

            if (absolute % alignment != 0)
            {
                sink.Report(KmodelDiagnostics.ConvOffsetMisaligned, index, Conv, string.Create(CultureInfo.InvariantCulture,
                    $"{field} {absolute} is not {alignment}-byte aligned"));
                return false;
            }

            relative = (uint)offset;
            return true;
        }
    }

    /// <summary>OC·IC·k²·b for a regular conv, C·k²·b for a depthwise one (spec §5.3).</summary>
    public static long WeightsSize(in KpuLayerArgument r, int weightBytes)
    {
        long perChannel = (long)r.KernelSize * r.KernelSize * weightBytes;
        return r.DepthWiseLayer ? r.OutChannels * perChannel : (long)r.OutChannels * r.InChannels * perChannel;
    }

    private static KpuLayerArgument ReadRegisters(ReadOnlySpan<byte> bytes)
    {
        Span<ulong> words = stackalloc ulong[KpuLayerArgument.WordCount];
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(8 * i)..]);
        }

        return new KpuLayerArgument(words);
    }

    private static KpuBatchNorm[] ReadBatchNorm(ReadOnlySpan<byte> bytes)
    {
        var result = new KpuBatchNorm[bytes.Length / KpuBatchNorm.ByteSize];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = KpuBatchNorm.Decode(BinaryPrimitives.ReadUInt64LittleEndian(bytes[(8 * i)..]));
        }

        return result;
    }

    private static KpuActivationTable ReadActivation(ReadOnlySpan<byte> bytes)
    {
        var segments = new KpuActivationSegment[KpuActivationTable.SegmentCount];
        for (int i = 0; i < segments.Length; i++)
        {
            ulong word = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(8 * i)..]);
            segments[i] = KpuActivationSegment.Decode(word, bytes[128 + i]);
        }

        return new KpuActivationTable(segments);
    }

    // Bytes not covered by the argument block or a blob are not kept, so warn when they are not zero.
    private static void CheckGaps(ReadOnlySpan<byte> body, K210ConvLayout layout, K210ConvBody conv, int index, DiagnosticSink sink)
    {
        Span<(long Start, long End)> used =
        [
            (0, K210ConvLayout.ArgumentSize),
            (layout.RegistersOffset, layout.RegistersOffset + (long)KpuLayerArgument.ByteSize),
            (layout.WeightsOffset, layout.WeightsOffset + (long)conv.Weights.Length),
            (layout.BatchNormOffset, layout.BatchNormOffset + (KpuBatchNorm.ByteSize * (long)conv.BatchNorm.Length)),
            (layout.ActivationOffset, layout.ActivationOffset + (long)KpuActivationTable.ByteSize),
        ];
        used.Sort((a, b) => a.Start.CompareTo(b.Start));
        long position = 0;
        foreach (var (start, end) in used)
        {
            if (start > position && body[(int)position..(int)start].ContainsAnyExcept((byte)0))
            {
                break;
            }

            position = Math.Max(position, end);
        }

        bool dirty = position < body.Length && body[(int)position..].ContainsAnyExcept((byte)0);
        if (dirty || position < used[^1].Start)
        {
            sink.Report(KmodelDiagnostics.NonZeroPadding, index, Conv, "gap bytes between the conv blobs are not zero");
        }
    }
}
