using System.Runtime.InteropServices;
using Emc.Compiler.Ir;
using Emc.Compiler.Ops;

namespace Emc.Compiler.Ops.Support;

/// <summary>
/// Type-agnostic access to tensor storage for the data-movement operators (Reshape, Transpose, Concat, Slice,
/// Gather…): they move elements without interpreting them, so they work on same-sized unsigned integers.
/// </summary>
internal static class ElementBytes
{
    public static int Size(DataType type) => type switch
    {
        DataType.Float32 or DataType.Int32 or DataType.UInt32 => 4,
        DataType.UInt8 or DataType.Int8 or DataType.Bool => 1,
        DataType.UInt16 or DataType.Int16 or DataType.Float16 => 2,
        DataType.Int64 or DataType.Float64 or DataType.UInt64 => 8,
        _ => 0,
    };

    /// <summary>The tensor's storage as bytes.</summary>
    public static Span<byte> Of(Tensor tensor)
    {
        var array = tensor.Buffer;
        int size = Size(tensor.Type);
        return MemoryMarshal.CreateSpan(ref MemoryMarshal.GetArrayDataReference(array), checked(array.Length * size));
    }

    /// <summary>The storage viewed as an unsigned integer type of the element's size.</summary>
    public static Span<T> As<T>(Tensor tensor)
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(Of(tensor));

    public static bool IsNumeric(DataType type) => Size(type) > 0;
}
