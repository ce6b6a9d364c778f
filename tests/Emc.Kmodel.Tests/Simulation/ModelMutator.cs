using System.Buffers.Binary;
using System.Reflection;

namespace Emc.Kmodel.Tests.Simulation;

/// <summary>
/// Deterministic corruptions of a real kmodel for the simulator robustness test: byte-level ones (go through the
/// reader) and model-level ones that bypass the reader's validation so the simulator's own checks are exercised
/// (register fields, batch-norm/activation words, CPU body fields, header, output table, layer list).
/// </summary>
internal sealed class ModelMutator(byte[] original, KmodelFile model, Random random)
{
    // Fields issue 3 names: widths, heights, channels, addresses, load counts, pool types, shifts, group/strides.
    private static readonly KpuRegisterField[] TargetFields =
    [
        KpuRegisterFields.IRowWid, KpuRegisterFields.IColHigh, KpuRegisterFields.ORowWid, KpuRegisterFields.OColHigh,
        KpuRegisterFields.IChNum, KpuRegisterFields.OChNum, KpuRegisterFields.OChNumCoef,
        KpuRegisterFields.ImageSrcAddr, KpuRegisterFields.ImageDstAddr, KpuRegisterFields.ChannelSwitchAddr,
        KpuRegisterFields.RowSwitchAddr, KpuRegisterFields.CoefGroup, KpuRegisterFields.WbChannelSwitchAddr,
        KpuRegisterFields.WbRowSwitchAddr, KpuRegisterFields.WbGroup, KpuRegisterFields.LoadTime, KpuRegisterFields.ParaSize,
        KpuRegisterFields.PoolType, KpuRegisterFields.KernelType, KpuRegisterFields.DepthWiseLayer, KpuRegisterFields.ShrW,
        KpuRegisterFields.ShrX, KpuRegisterFields.ArgW, KpuRegisterFields.ArgX, KpuRegisterFields.ArgAdd, KpuRegisterFields.PadValue,
        KpuRegisterFields.FirstStride, KpuRegisterFields.ChannelByteNum, KpuRegisterFields.DmaTotalByte,
    ];

    private readonly int[] _convLayers = ConvLayers(model);

    private static int[] ConvLayers(KmodelFile file) => Enumerable.Range(0, file.Layers.Count).Where(i => file.Layers[i].Body is K210ConvBody).ToArray();

    /// <summary>Corrupted file bytes (to be read), with a description.</summary>
    public byte[] MutateBytes(out string what)
    {
        switch (random.Next(5))
        {
            case 0:
                return ByteMutations.Truncate(original, random, out what);
            case 1:
                return ByteMutations.FlipBits(original, random, out what);

            case 2 when _convLayers.Length > 0:
            {
                // A register field rewritten in the file (the reader's register rules see it first).
                byte[] copy = (byte[])original.Clone();
                int layer = _convLayers[random.Next(_convLayers.Length)];
                var conv = (K210ConvBody)model.Layers[layer].Body;
                KpuRegisterField field = TargetFields[random.Next(TargetFields.Length)];
                int at = (int)(model.BodyOffset(layer) + conv.Layout.RegistersOffset + (8 * field.Word));
                ulong word = BinaryPrimitives.ReadUInt64LittleEndian(copy.AsSpan(at));
                long value = FieldValue(field, field.Get(word));
                BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(at), field.Set(word, value));
                what = $"file: layer {layer} {field.Name} → {value}";
                return copy;
            }

            default:
            {
                // Inflated sizes, offsets and counts: header, table entries and the first words of each body.
                byte[] copy = (byte[])original.Clone();
                var hot = new List<int>();
                for (int o = 0; o + 4 <= model.BodyStart; o += 4)
                {
                    hot.Add(o);
                }

                for (int i = 0; i < model.Layers.Count; i++)
                {
                    for (int f = 0; f < 8; f++)
                    {
                        hot.Add((int)model.BodyOffset(i) + (4 * f));
                    }
                }

                int pos = Math.Min(hot[random.Next(hot.Count)], copy.Length - 4);
                uint old = BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(pos));
                uint value = Inflate(old);
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(pos), value);
                what = $"file: u32 at {pos}: {old} → {value}";
                return copy;
            }
        }
    }

    /// <summary>A corrupted model that bypasses the reader (one to three stacked changes), with a description.</summary>
    public KmodelFile MutateModel(out string what)
    {
        KmodelFile current = model;
        var changes = new List<string>();
        int count = 1 + (random.Next(4) == 0 ? random.Next(1, 3) : 0);
        for (int i = 0; i < count; i++)
        {
            current = MutateOnce(current, out string change);
            changes.Add(change);
        }

        what = "model: " + string.Join(", ", changes);
        return current;
    }

    private KmodelFile MutateOnce(KmodelFile model, out string what)
    {
        int pick = random.Next(20);
        int[] convLayers = ConvLayers(model);
        int[] cpuLayers = Enumerable.Range(0, model.Layers.Count).Except(convLayers).ToArray();
        if (pick < 10 && convLayers.Length > 0)
        {
            int layer = convLayers[random.Next(convLayers.Length)];
            var conv = (K210ConvBody)model.Layers[layer].Body;
            (LayerBody body, string change) = MutateConv(conv);
            what = $"layer {layer} {change}";
            return ReplaceLayer(model, layer, body);
        }

        if (pick < 15 && cpuLayers.Length > 0)
        {
            int layer = cpuLayers[random.Next(cpuLayers.Length)];
            (LayerBody body, string change) = MutateRecord(model.Layers[layer].Body);
            what = $"layer {layer} ({model.Layers[layer].Type}) {change}";
            return ReplaceLayer(model, layer, body);
        }

        switch (random.Next(5))
        {
            case 0:
                uint mem = Inflate(model.Header.MainMemUsage);
                what = $"main_mem_usage → {mem}";
                return model with { Header = model.Header with { MainMemUsage = mem } };
            case 1:
                what = "weight width flag toggled";
                return model with { Header = model.Header with { Flags = model.Header.Flags ^ 1 } };
            case 2 when model.Outputs.Count > 0:
            {
                var outputs = model.Outputs.ToArray();
                int k = random.Next(outputs.Length);
                outputs[k] = random.Next(2) == 0 ? outputs[k] with { Address = Inflate(outputs[k].Address) } : outputs[k] with { Size = Inflate(outputs[k].Size) };
                what = $"output {k} → {outputs[k]}";
                return model with { Outputs = outputs };
            }

            case 3 when model.Layers.Count > 1:
            {
                var layers = model.Layers.ToList();
                int k = random.Next(layers.Count);
                layers.RemoveAt(k);
                what = $"layer {k} removed";
                return model with { Layers = layers };
            }

            default:
            {
                var layers = model.Layers.ToList();
                int a = random.Next(layers.Count), b = random.Next(layers.Count);
                (layers[a], layers[b]) = (layers[b], layers[a]);
                what = $"layers {a} and {b} swapped";
                return model with { Layers = layers };
            }
        }
    }

    private (LayerBody Body, string Change) MutateConv(K210ConvBody conv)
    {
        switch (random.Next(10))
        {
            case 0:
            {
                uint address = Inflate(conv.MainMemOutAddress);
                return (conv with { MainMemOutAddress = address, Flags = conv.Flags | K210ConvBody.MainMemOutFlag }, $"main_mem_out_address → {address}");
            }

            case 1:
                return (conv with { Flags = conv.Flags ^ K210ConvBody.MainMemOutFlag }, "main-memory output flag toggled");
            case 2:
            {
                var norms = (KpuBatchNorm[])conv.BatchNorm.Clone();
                int c = random.Next(norms.Length);
                norms[c] = random.Next(3) switch
                {
                    0 => norms[c] with { NormShift = random.Next(0, 64) },
                    1 => norms[c] with { NormMul = random.Next(-(1 << 23), 1 << 23) },
                    _ => norms[c] with { NormAdd = random.Next(int.MinValue, int.MaxValue) },
                };
                return (conv with { BatchNorm = random.Next(4) == 0 ? norms[..(norms.Length / 2)] : norms }, $"batch-norm word {c} → {norms[c]}");
            }

            case 3:
            {
                var segments = (KpuActivationSegment[])conv.Activation.Segments.Clone();
                int s = random.Next(segments.Length);
                segments[s] = random.Next(3) switch
                {
                    0 => segments[s] with { Shift = random.Next(0, 256) },
                    1 => segments[s] with { XStart = random.NextInt64(-(1L << 35), 1L << 35) },
                    _ => segments[s] with { YMul = random.Next(short.MinValue, ushort.MaxValue + 1) },
                };
                return (conv with { Activation = new KpuActivationTable(segments) }, $"activation segment {s} → {segments[s]}");
            }

            case 4:
                return (conv with { Weights = conv.Weights[..random.Next(conv.Weights.Length + 1)] }, "weights truncated");
            case 5:
            {
                // Coherent new input/output sizes (pool type kept): passes the pool-shape rule, tests ranges and tiling.
                KpuLayerArgument r = conv.Registers;
                int stride = (int)r.PoolType switch { 0 or 8 or 9 => 1, 1 or 2 or 5 or 6 => 2, 3 or 4 or 7 => 4, _ => 1 };
                int w = random.Next(3) == 0 ? random.Next(1, 1025) : random.Next(1, 80);
                int h = random.Next(3) == 0 ? random.Next(1, 513) : random.Next(1, 80);
                r.Set(KpuRegisterFields.IRowWid, w - 1);
                r.Set(KpuRegisterFields.IColHigh, h - 1);
                r.Set(KpuRegisterFields.ORowWid, Math.Max(1, w / stride) - 1);
                r.Set(KpuRegisterFields.OColHigh, Math.Max(1, h / stride) - 1);
                return (conv with { Registers = r }, $"resized to {w}×{h} (pool {r.PoolType})");
            }

            default:
            {
                KpuLayerArgument registers = conv.Registers;
                KpuRegisterField field = TargetFields[random.Next(TargetFields.Length)];
                long value = FieldValue(field, registers.Get(field));
                registers.Set(field, value);
                return (conv with { Registers = registers }, $"{field.Name} → {value}");
            }
        }
    }

    /// <summary>Sets one uint field (or a pool-window field) of a CPU layer body record to an inflated value.</summary>
    private (LayerBody Body, string Change) MutateRecord(LayerBody body)
    {
        var clone = (LayerBody)body.GetType().GetMethod("<Clone>$")!.Invoke(body, null)!;
        PropertyInfo[] fields = body.GetType().GetProperties()
            .Where(p => p.CanWrite && (p.PropertyType == typeof(uint) || p.PropertyType == typeof(PoolWindow) || p.PropertyType == typeof(int)))
            .Where(p => p.Name != nameof(LayerBody.Flags))
            .ToArray();
        if (fields.Length == 0)
        {
            return (clone, "unchanged (no numeric field)");
        }

        PropertyInfo property = fields[random.Next(fields.Length)];
        if (property.PropertyType == typeof(PoolWindow))
        {
            object window = property.GetValue(clone)!;
            PropertyInfo[] inner = typeof(PoolWindow).GetProperties().Where(p => p.PropertyType == typeof(uint) && p.CanWrite).ToArray();
            PropertyInfo f = inner[random.Next(inner.Length)];
            uint v = Inflate((uint)f.GetValue(window)!);
            f.SetValue(window, v);
            property.SetValue(clone, window);
            return (clone, $"window.{f.Name} → {v}");
        }

        if (property.PropertyType == typeof(int))
        {
            int v = random.Next(3) switch { 0 => random.Next(-70, 70), 1 => int.MaxValue, _ => int.MinValue };
            property.SetValue(clone, v);
            return (clone, $"{property.Name} → {v}");
        }

        uint value = Inflate((uint)property.GetValue(clone)!);
        property.SetValue(clone, value);
        return (clone, $"{property.Name} → {value}");
    }

    private static KmodelFile ReplaceLayer(KmodelFile model, int index, LayerBody body)
    {
        var layers = model.Layers.ToArray();
        layers[index] = layers[index] with { Body = body };
        return model with { Layers = layers };
    }

    private long FieldValue(KpuRegisterField field, long old) => random.Next(6) switch
    {
        0 => field.MinValue,
        1 => field.MaxValue,
        2 => Math.Clamp(old + 1, field.MinValue, field.MaxValue),
        3 => Math.Clamp(old - 1, field.MinValue, field.MaxValue),
        4 => Math.Clamp(old * 2, field.MinValue, field.MaxValue),
        _ => random.NextInt64(field.MinValue, field.MaxValue + 1),
    };

    private uint Inflate(uint old) => random.Next(6) switch
    {
        0 => uint.MaxValue - (uint)random.Next(16),
        1 => unchecked(old + (uint)random.Next(1, 4096)),
        2 => unchecked(old * (uint)random.Next(2, 1000)),
        3 => (uint)random.Next(),
        4 => old / (uint)random.Next(2, 8),
        _ => old ^ (1u << random.Next(32)),
    };
}
