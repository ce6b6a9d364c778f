namespace Emc.Compiler.Ir;

/// <summary>A dense, row-major tensor with a static shape. Constants (initializers, folded values) and
/// evaluation buffers are tensors.</summary>
public abstract class Tensor
{
    protected Tensor(DataType type, Shape shape)
    {
        Type = type;
        Shape = shape;
    }

    public DataType Type { get; }

    public Shape Shape { get; }

    public long ElementCount => Shape.ElementCount;

    /// <summary>The storage array (<c>T[]</c> for <see cref="Tensor{T}"/>).</summary>
    public abstract Array Buffer { get; }

    public static Tensor<T> Create<T>(Shape shape, T[] data)
        where T : unmanaged => new(shape, data);

    public static Tensor<T> Zeros<T>(Shape shape)
        where T : unmanaged => new(shape, new T[checked((int)shape.ElementCount)]);

    /// <summary>Allocates a zero tensor of a runtime element type.</summary>
    public static Tensor Zeros(DataType type, Shape shape) => type switch
    {
        DataType.Float32 => Zeros<float>(shape),
        DataType.UInt8 => Zeros<byte>(shape),
        DataType.Int8 => Zeros<sbyte>(shape),
        DataType.UInt16 => Zeros<ushort>(shape),
        DataType.Int16 => Zeros<short>(shape),
        DataType.Int32 => Zeros<int>(shape),
        DataType.Int64 => Zeros<long>(shape),
        DataType.Bool => Zeros<bool>(shape),
        DataType.Float16 => Zeros<Half>(shape),
        DataType.Float64 => Zeros<double>(shape),
        DataType.UInt32 => Zeros<uint>(shape),
        DataType.UInt64 => Zeros<ulong>(shape),
        _ => throw new NotSupportedException($"no tensor storage for {type.Name()}"),
    };

    public Tensor<T> As<T>()
        where T : unmanaged =>
        this as Tensor<T> ?? throw new InvalidCastException($"tensor is {Type.Name()}, not {typeof(T).Name}");

    /// <summary>The values as int64 (shape-like tensors: int32/int64/uint8/bool…); float types are truncated.</summary>
    public abstract long[] ToInt64Array();

    /// <summary>The values as float32.</summary>
    public abstract float[] ToFloatArray();
}

public sealed class Tensor<T> : Tensor
    where T : unmanaged
{
    public Tensor(Shape shape, T[] data)
        : base(DataTypes.Of<T>(), shape)
    {
        if (data.LongLength != shape.ElementCount)
        {
            throw new ArgumentException($"{data.Length} values do not fill shape {shape}", nameof(data));
        }

        Data = data;
    }

    public T[] Data { get; }

    public Span<T> Span => Data;

    public override Array Buffer => Data;

    public override long[] ToInt64Array()
    {
        var result = new long[Data.Length];
        for (int i = 0; i < Data.Length; i++)
        {
            result[i] = DataTypes.ToInt64(Data[i]);
        }

        return result;
    }

    public override float[] ToFloatArray()
    {
        if (Data is float[] f)
        {
            return (float[])f.Clone();
        }

        var result = new float[Data.Length];
        for (int i = 0; i < Data.Length; i++)
        {
            result[i] = DataTypes.ToSingle(Data[i]);
        }

        return result;
    }
}
