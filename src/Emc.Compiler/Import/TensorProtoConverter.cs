using System.Globalization;
using System.Runtime.InteropServices;
using Emc.Compiler.Ir;
using Emc.Diagnostics;
using Emc.Onnx;
using Emc.Onnx.Protobuf;
using Google.Protobuf;

namespace Emc.Compiler.Import;

/// <summary>
/// Converts ONNX TensorProto messages to IR tensors and back. Reads raw_data (little-endian) and every typed
/// field; validates the element count against the shape before allocating anything.
/// </summary>
public static class TensorProtoConverter
{
    /// <summary>Reads a standalone serialized TensorProto file (the ONNX test-data .pb format).</summary>
    public static Result<Tensor> ReadFile(string path)
    {
        var loaded = OnnxModelLoader.LoadTensor(path);
        var diagnostics = new DiagnosticBag();
        diagnostics.AddRange(loaded.Diagnostics);
        Tensor? tensor = loaded.Value is null ? null : FromProto(loaded.Value, path, diagnostics);
        return new Result<Tensor>(tensor, diagnostics);
    }

    /// <summary>Serializes a tensor as a TensorProto file (raw_data), atomically; through a symbolic link to its
    /// target, never replacing a FIFO or device (IOException).</summary>
    public static void WriteFile(Tensor tensor, string path, string? name = null) =>
        Emc.IO.SafeFile.WriteAtomically(path, ToProto(tensor, name).ToByteArray());

    /// <summary>The IR tensor a TensorProto holds, or null after reporting why it cannot be read.</summary>
    public static Tensor? FromProto(TensorProto proto, string? path, DiagnosticBag diagnostics)
    {
        string name = proto.Name;
        if (proto.Segment is not null)
        {
            Error(diagnostics, path, $"tensor '{name}' is segmented; segmented tensors are not supported");
            return null;
        }

        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
        {
            diagnostics.Add(OnnxDiagnostics.ExternalDataMissing.Create($"tensor '{name}': external data was not loaded", path));
            return null;
        }

        var type = (DataType)proto.DataType;
        int elementSize = ElementSize(type);
        if (elementSize == 0)
        {
            string typeName = Enum.IsDefined(typeof(TensorProto.Types.DataType), proto.DataType)
                ? ((TensorProto.Types.DataType)proto.DataType).ToString()
                : proto.DataType.ToString(CultureInfo.InvariantCulture);
            Error(diagnostics, path, $"tensor '{name}' has element type {typeName}, which is not supported (numeric types and bool only)");
            return null;
        }

        var dims = new int[proto.Dims.Count];
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            long d = proto.Dims[i];
            if (d < 0 || d > Array.MaxLength)
            {
                Error(diagnostics, path, Invariant($"tensor '{name}' has invalid dimension {d} at axis {i}"));
                return null;
            }

            dims[i] = (int)d;
            count = d == 0 ? 0 : count <= Array.MaxLength / d ? count * d : long.MaxValue;
        }

        // Zero-size dimensions make the count 0 even after an overflowing product.
        if (dims.Contains(0))
        {
            count = 0;
        }

        if (count > Array.MaxLength)
        {
            Error(diagnostics, path, Invariant($"tensor '{name}' with shape [{string.Join(',', proto.Dims)}] is too large"));
            return null;
        }

        var shape = new Shape(dims);
        int n = (int)count;
        if (proto.HasRawData)
        {
            long expected = count * elementSize;
            if (proto.RawData.Length != expected)
            {
                Error(diagnostics, path, Invariant($"tensor '{name}' of shape {shape} and type {type.Name()} needs {expected} bytes of raw_data, has {proto.RawData.Length}"));
                return null;
            }

            return FromRaw(type, shape, proto.RawData.Span);
        }

        int present = TypedCount(type, proto);
        if (present != n)
        {
            Error(diagnostics, path, Invariant($"tensor '{name}' of shape {shape} needs {n} values, its data field has {present}"));
            return null;
        }

        return FromTyped(type, shape, proto);
    }

    /// <summary>A TensorProto holding the tensor in raw_data.</summary>
    public static TensorProto ToProto(Tensor tensor, string? name = null)
    {
        var proto = new TensorProto { DataType = (int)tensor.Type };
        if (name is not null)
        {
            proto.Name = name;
        }

        foreach (int d in tensor.Shape.Dims)
        {
            proto.Dims.Add(d);
        }

        proto.RawData = ByteString.CopyFrom(ToRaw(tensor));
        return proto;
    }

    /// <summary>Bytes per element in raw_data; 0 for types the IR cannot hold.</summary>
    public static int ElementSize(DataType type) => type switch
    {
        DataType.Float32 or DataType.Int32 or DataType.UInt32 => 4,
        DataType.UInt8 or DataType.Int8 or DataType.Bool => 1,
        DataType.UInt16 or DataType.Int16 or DataType.Float16 => 2,
        DataType.Int64 or DataType.Float64 or DataType.UInt64 => 8,
        _ => 0,
    };

    private static Tensor FromRaw(DataType type, Shape shape, ReadOnlySpan<byte> raw) => type switch
    {
        DataType.Float32 => Raw<float>(shape, raw),
        DataType.UInt8 => Raw<byte>(shape, raw),
        DataType.Int8 => Raw<sbyte>(shape, raw),
        DataType.UInt16 => Raw<ushort>(shape, raw),
        DataType.Int16 => Raw<short>(shape, raw),
        DataType.Int32 => Raw<int>(shape, raw),
        DataType.Int64 => Raw<long>(shape, raw),
        DataType.Float16 => Raw<Half>(shape, raw),
        DataType.Float64 => Raw<double>(shape, raw),
        DataType.UInt32 => Raw<uint>(shape, raw),
        DataType.UInt64 => Raw<ulong>(shape, raw),
        DataType.Bool => RawBool(shape, raw),
        _ => throw new InvalidOperationException(type.Name()),
    };

    private static Tensor<T> Raw<T>(Shape shape, ReadOnlySpan<byte> raw)
        where T : unmanaged
    {
        var data = new T[shape.ElementCount];
        raw.CopyTo(MemoryMarshal.AsBytes(data.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            ReverseEndianness(data);
        }

        return new Tensor<T>(shape, data);
    }

    private static Tensor<bool> RawBool(Shape shape, ReadOnlySpan<byte> raw)
    {
        var data = new bool[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            data[i] = raw[i] != 0;
        }

        return new Tensor<bool>(shape, data);
    }

    private static int TypedCount(DataType type, TensorProto proto) => type switch
    {
        DataType.Float32 => proto.FloatData.Count,
        DataType.Int64 => proto.Int64Data.Count,
        DataType.Float64 => proto.DoubleData.Count,
        DataType.UInt32 or DataType.UInt64 => proto.Uint64Data.Count,
        _ => proto.Int32Data.Count,
    };

    private static Tensor FromTyped(DataType type, Shape shape, TensorProto p) => type switch
    {
        DataType.Float32 => new Tensor<float>(shape, [.. p.FloatData]),
        DataType.Int64 => new Tensor<long>(shape, [.. p.Int64Data]),
        DataType.Float64 => new Tensor<double>(shape, [.. p.DoubleData]),
        DataType.UInt64 => new Tensor<ulong>(shape, [.. p.Uint64Data]),
        DataType.UInt32 => new Tensor<uint>(shape, p.Uint64Data.Select(v => unchecked((uint)v)).ToArray()),
        DataType.Int32 => new Tensor<int>(shape, [.. p.Int32Data]),
        DataType.Int16 => new Tensor<short>(shape, p.Int32Data.Select(v => unchecked((short)v)).ToArray()),
        DataType.UInt16 => new Tensor<ushort>(shape, p.Int32Data.Select(v => unchecked((ushort)v)).ToArray()),
        DataType.Int8 => new Tensor<sbyte>(shape, p.Int32Data.Select(v => unchecked((sbyte)v)).ToArray()),
        DataType.UInt8 => new Tensor<byte>(shape, p.Int32Data.Select(v => unchecked((byte)v)).ToArray()),
        DataType.Bool => new Tensor<bool>(shape, p.Int32Data.Select(v => v != 0).ToArray()),
        // float16 values travel as their bit patterns in int32_data.
        DataType.Float16 => new Tensor<Half>(shape, p.Int32Data.Select(v => BitConverter.UInt16BitsToHalf(unchecked((ushort)v))).ToArray()),
        _ => throw new InvalidOperationException(type.Name()),
    };

    private static byte[] ToRaw(Tensor tensor) => tensor switch
    {
        Tensor<bool> b => b.Data.Select(v => v ? (byte)1 : (byte)0).ToArray(),
        Tensor<float> t => Bytes<float>(t.Data),
        Tensor<byte> t => (byte[])t.Data.Clone(),
        Tensor<sbyte> t => Bytes<sbyte>(t.Data),
        Tensor<ushort> t => Bytes<ushort>(t.Data),
        Tensor<short> t => Bytes<short>(t.Data),
        Tensor<int> t => Bytes<int>(t.Data),
        Tensor<long> t => Bytes<long>(t.Data),
        Tensor<Half> t => Bytes<Half>(t.Data),
        Tensor<double> t => Bytes<double>(t.Data),
        Tensor<uint> t => Bytes<uint>(t.Data),
        Tensor<ulong> t => Bytes<ulong>(t.Data),
        _ => throw new NotSupportedException(tensor.Type.Name()),
    };

    private static byte[] Bytes<T>(T[] data)
        where T : unmanaged
    {
        byte[] bytes = MemoryMarshal.AsBytes(data.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            ReverseEndianness(MemoryMarshal.Cast<byte, T>(bytes.AsSpan()));
        }

        return bytes;
    }

    private static void ReverseEndianness<T>(Span<T> data)
        where T : unmanaged
    {
        int size = Marshal.SizeOf<T>();
        Span<byte> bytes = MemoryMarshal.AsBytes(data);
        for (int i = 0; i + size <= bytes.Length; i += size)
        {
            bytes.Slice(i, size).Reverse();
        }
    }

    private static void Error(DiagnosticBag diagnostics, string? path, string message) =>
        diagnostics.Add(OnnxDiagnostics.InvalidTensorData.Create(message, path));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
