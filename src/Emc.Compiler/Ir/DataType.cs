namespace Emc.Compiler.Ir;

/// <summary>Element types the IR carries. Numbering follows ONNX TensorProto.DataType so import is a cast.</summary>
public enum DataType
{
    Undefined = 0,
    Float32 = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Float64 = 11,
    UInt32 = 12,
    UInt64 = 13,
}

public static class DataTypeExtensions
{
    public static string Name(this DataType type) => type switch
    {
        DataType.Float32 => "float32",
        DataType.UInt8 => "uint8",
        DataType.Int8 => "int8",
        DataType.UInt16 => "uint16",
        DataType.Int16 => "int16",
        DataType.Int32 => "int32",
        DataType.Int64 => "int64",
        DataType.String => "string",
        DataType.Bool => "bool",
        DataType.Float16 => "float16",
        DataType.Float64 => "float64",
        DataType.UInt32 => "uint32",
        DataType.UInt64 => "uint64",
        _ => "undefined",
    };
}
