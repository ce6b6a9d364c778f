using Emc.Onnx.Protobuf;
using Google.Protobuf;

namespace Emc.Compiler.Tests.Fuzz;

/// <summary>Deterministic mutations of a serialized ONNX model: wire-level (truncation, bit flips, corrupted
/// lengths and varints, spliced bytes) and semantic (valid protobuf with hostile contents: huge dims, wrong
/// types, cycles, hostile external-data paths, huge repeated counts).</summary>
internal sealed class ModelMutator
{
    private static readonly string[] OpTypes = ["Conv", "Gemm", "Reshape", "Concat", "Softmax", "MaxPool", "Resize", "Slice", "LSTM", "Unknown", string.Empty];
    private static readonly long[] HostileInts = [0, -1, -7, 1L << 31, 1L << 40, long.MaxValue, long.MinValue, int.MaxValue];

    private readonly byte[] _seed;
    private readonly ModelProto _model;
    private readonly List<ProtobufWire.LengthField> _lengths;
    private readonly Random _random;

    public ModelMutator(byte[] seed, int randomSeed)
    {
        _seed = seed;
        _model = ModelProto.Parser.ParseFrom(seed);
        _lengths = ProtobufWire.LengthFields(seed);
        _random = new Random(randomSeed);
    }

    public (string What, byte[] Bytes) Next()
    {
        int kind = _random.Next(15);
        return kind switch
        {
            0 => Truncate(),
            1 => FlipBits(),
            2 => OverwriteBytes(),
            3 or 4 => CorruptLength(),
            5 => InsertBigVarint(),
            6 => SpliceDuplicate(),
            _ => Semantic(kind),
        };
    }

    private (string, byte[]) Truncate()
    {
        int length = _random.Next(_seed.Length);
        return ($"truncate to {length}", _seed[..length]);
    }

    private (string, byte[]) FlipBits()
    {
        byte[] data = (byte[])_seed.Clone();
        int flips = 1 + _random.Next(4);
        for (int i = 0; i < flips; i++)
        {
            data[_random.Next(data.Length)] ^= (byte)(1 << _random.Next(8));
        }

        return ($"{flips} bit flips", data);
    }

    private (string, byte[]) OverwriteBytes()
    {
        byte[] data = (byte[])_seed.Clone();
        byte[] specials = [0x00, 0xff, 0x80, 0x7f, 0x0a, 0x12];
        int count = 1 + _random.Next(3);
        for (int i = 0; i < count; i++)
        {
            data[_random.Next(data.Length)] = specials[_random.Next(specials.Length)];
        }

        return ($"{count} bytes overwritten", data);
    }

    private (string, byte[]) CorruptLength()
    {
        if (_lengths.Count == 0)
        {
            return Truncate();
        }

        ProtobufWire.LengthField field = _lengths[_random.Next(_lengths.Count)];
        ulong[] candidates =
        [
            (ulong)field.Length + 1, (ulong)field.Length + (ulong)_random.Next(2, 64), (ulong)Math.Max(0, field.Length - 1), 0,
            int.MaxValue, uint.MaxValue + 5UL, ulong.MaxValue, (ulong)_seed.Length,
        ];
        ulong length = candidates[_random.Next(candidates.Length)];
        byte[] data = ProtobufWire.Splice(_seed, field.Offset, field.VarintBytes, ProtobufWire.EncodeVarint(length));
        return ($"length at {field.Offset} {field.Length} -> {length}", data);
    }

    private (string, byte[]) InsertBigVarint()
    {
        int at = _random.Next(_seed.Length);
        byte[] varint = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        return ($"10-byte varint inserted at {at}", ProtobufWire.Splice(_seed, at, 0, varint));
    }

    private (string, byte[]) SpliceDuplicate()
    {
        int from = _random.Next(_seed.Length);
        int count = Math.Min(_random.Next(1, 64), _seed.Length - from);
        int at = _random.Next(_seed.Length);
        return ($"{count} bytes from {from} copied to {at}", ProtobufWire.Splice(_seed, at, 0, _seed.AsSpan(from, count)));
    }

    private (string, byte[]) Semantic(int kind)
    {
        ModelProto model = _model.Clone();
        GraphProto graph = model.Graph;
        string what;
        switch (kind)
        {
            case 7 when graph.Initializer.Count > 0:
            {
                TensorProto t = Pick(graph.Initializer);
                if (t.Dims.Count == 0)
                {
                    t.Dims.Add(1);
                }

                int i = _random.Next(t.Dims.Count);
                t.Dims[i] = PickHostile();
                what = $"initializer '{t.Name}' dim {i} = {t.Dims[i]}";
                break;
            }

            case 8 when graph.Initializer.Count > 0:
            {
                TensorProto t = Pick(graph.Initializer);
                if (_random.Next(2) == 0)
                {
                    t.DataType = _random.Next(0, 28);
                    what = $"initializer '{t.Name}' data_type = {t.DataType}";
                }
                else
                {
                    t.RawData = t.RawData.Length > 0 ? ByteString.CopyFrom(t.RawData.Span[..(_random.Next(t.RawData.Length))]) : ByteString.CopyFrom(1, 2, 3);
                    t.FloatData.Clear();
                    what = $"initializer '{t.Name}' raw_data shortened";
                }

                break;
            }

            case 9 when graph.Input.Count > 0:
            {
                ValueInfoProto input = Pick(graph.Input);
                TensorShapeProto? shape = input.Type?.TensorType?.Shape;
                if (shape is null)
                {
                    what = "no shape to mutate";
                    break;
                }

                int choice = _random.Next(4);
                if (choice == 0)
                {
                    for (int i = 0; i < 10_000; i++)
                    {
                        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 2 });
                    }

                    what = $"input '{input.Name}' rank + 10000";
                }
                else if (choice == 1 || shape.Dim.Count == 0)
                {
                    input.Type!.TensorType.ElemType = _random.Next(0, 28);
                    what = $"input '{input.Name}' elem_type = {input.Type.TensorType.ElemType}";
                }
                else
                {
                    var dim = shape.Dim[_random.Next(shape.Dim.Count)];
                    if (choice == 2)
                    {
                        dim.DimParam = "N";
                    }
                    else
                    {
                        dim.DimValue = PickHostile();
                    }

                    what = $"input '{input.Name}' dim -> {dim}";
                }

                break;
            }

            case 10 when graph.Node.Count > 0:
            {
                NodeProto node = Pick(graph.Node);
                if (node.Attribute.Count == 0 || _random.Next(4) == 0)
                {
                    node.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = PickHostile() });
                    what = $"node '{node.Name}' + axis attribute";
                    break;
                }

                AttributeProto a = Pick(node.Attribute);
                a.I = PickHostile();
                a.F = _random.Next(3) switch { 0 => float.NaN, 1 => float.PositiveInfinity, _ => -1e30f };
                if (a.Ints.Count > 0 && _random.Next(2) == 0)
                {
                    a.Ints.Clear();
                }
                else
                {
                    a.Ints.Add(PickHostile());
                }

                if (_random.Next(3) == 0)
                {
                    a.Type = (AttributeProto.Types.AttributeType)_random.Next(0, 15);
                }

                what = $"node '{node.Name}' attribute '{a.Name}' mutated";
                break;
            }

            case 11 when graph.Node.Count > 0:
            {
                NodeProto node = Pick(graph.Node);
                NodeProto other = Pick(graph.Node);
                if (node.Input.Count == 0)
                {
                    node.Input.Add("nowhere");
                }

                int i = _random.Next(node.Input.Count);
                node.Input[i] = _random.Next(3) switch
                {
                    0 when other.Output.Count > 0 => other.Output[0],
                    1 => string.Empty,
                    _ => "no_such_value",
                };
                if (_random.Next(4) == 0)
                {
                    node.OpType = OpTypes[_random.Next(OpTypes.Length)];
                }

                what = $"node '{node.Name}' input {i} -> '{node.Input[i]}' ({node.OpType})";
                break;
            }

            case 12:
            {
                if (model.OpsetImport.Count > 0 && _random.Next(2) == 0)
                {
                    model.OpsetImport[0].Version = new long[] { 0, 1, 5, 1000, long.MaxValue, -3 }[_random.Next(6)];
                    what = $"opset = {model.OpsetImport[0].Version}";
                }
                else
                {
                    model.IrVersion = new long[] { 0, 1, 2, 100, long.MinValue }[_random.Next(5)];
                    what = $"ir_version = {model.IrVersion}";
                }

                break;
            }

            case 13 when graph.Initializer.Count > 0:
            {
                TensorProto t = Pick(graph.Initializer);
                string[] locations = ["../x.bin", "../../../../etc/passwd", "/etc/passwd", "missing.bin", "model.onnx", string.Empty, "a/../../b"];
                t.DataLocation = TensorProto.Types.DataLocation.External;
                t.RawData = ByteString.Empty;
                t.ExternalData.Clear();
                t.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = locations[_random.Next(locations.Length)] });
                if (_random.Next(2) == 0)
                {
                    t.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = PickHostile().ToString(System.Globalization.CultureInfo.InvariantCulture) });
                    t.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = PickHostile().ToString(System.Globalization.CultureInfo.InvariantCulture) });
                }

                what = $"initializer '{t.Name}' external at '{t.ExternalData[0].Value}'";
                break;
            }

            default:
            {
                // Huge repeated counts: thousands of copies of a node (duplicate output names) or of an initializer.
                int copies = 1_000 + _random.Next(1_000);
                if (graph.Node.Count > 0 && _random.Next(2) == 0)
                {
                    NodeProto node = graph.Node[0];
                    copies /= 4; // each duplicate costs the importer a diagnostic; a few hundred make the point
                    for (int i = 0; i < copies; i++)
                    {
                        graph.Node.Add(node);
                    }

                    what = $"node '{node.Name}' repeated {copies} times";
                }
                else
                {
                    var t = new TensorProto { Name = "big", DataType = 1 };
                    t.Dims.Add(copies);
                    for (int i = 0; i < copies; i++)
                    {
                        t.Dims.Add(1 << 20);
                    }

                    graph.Initializer.Add(t);
                    what = $"initializer with {copies} dims of 2^20";
                }

                break;
            }
        }

        return ("semantic: " + what, model.ToByteArray());
    }

    private T Pick<T>(IList<T> items) => items[_random.Next(items.Count)];

    private long PickHostile() => HostileInts[_random.Next(HostileInts.Length)];
}
