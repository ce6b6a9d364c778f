namespace Emc.Compiler.Ir;

/// <summary>Maps CLR element types to <see cref="DataType"/> and converts scalars between them.</summary>
public static class DataTypes
{
    public static DataType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DataType.Float32;
        if (typeof(T) == typeof(byte)) return DataType.UInt8;
        if (typeof(T) == typeof(sbyte)) return DataType.Int8;
        if (typeof(T) == typeof(ushort)) return DataType.UInt16;
        if (typeof(T) == typeof(short)) return DataType.Int16;
        if (typeof(T) == typeof(int)) return DataType.Int32;
        if (typeof(T) == typeof(long)) return DataType.Int64;
        if (typeof(T) == typeof(bool)) return DataType.Bool;
        if (typeof(T) == typeof(Half)) return DataType.Float16;
        if (typeof(T) == typeof(double)) return DataType.Float64;
        if (typeof(T) == typeof(uint)) return DataType.UInt32;
        if (typeof(T) == typeof(ulong)) return DataType.UInt64;
        throw new NotSupportedException($"no IR data type for {typeof(T).Name}");
    }

    public static long ToInt64<T>(T value)
        where T : unmanaged => value switch
        {
            float f => (long)f,
            double d => (long)d,
            Half h => (long)(float)h,
            bool b => b ? 1 : 0,
            byte v => v,
            sbyte v => v,
            short v => v,
            ushort v => v,
            int v => v,
            uint v => v,
            long v => v,
            ulong v => unchecked((long)v),
            _ => throw new NotSupportedException(typeof(T).Name),
        };

    public static float ToSingle<T>(T value)
        where T : unmanaged => value switch
        {
            float f => f,
            double d => (float)d,
            Half h => (float)h,
            bool b => b ? 1f : 0f,
            byte v => v,
            sbyte v => v,
            short v => v,
            ushort v => v,
            int v => v,
            uint v => v,
            long v => v,
            ulong v => v,
            _ => throw new NotSupportedException(typeof(T).Name),
        };
}
