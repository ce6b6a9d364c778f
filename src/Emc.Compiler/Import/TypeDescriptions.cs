using System.Globalization;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Import;

/// <summary>Human-readable names of ONNX value types, for diagnostics.</summary>
internal static class TypeDescriptions
{
    public static string Describe(TypeProto? type) => type?.ValueCase switch
    {
        null or TypeProto.ValueOneofCase.None => "of unknown type",
        TypeProto.ValueOneofCase.TensorType => "a tensor of " + ElementType(type.TensorType.ElemType),
        TypeProto.ValueOneofCase.SequenceType => "a sequence",
        TypeProto.ValueOneofCase.MapType => "a map",
        TypeProto.ValueOneofCase.OptionalType => "an optional",
        TypeProto.ValueOneofCase.SparseTensorType => "a sparse tensor",
        TypeProto.ValueOneofCase.OpaqueType => "an opaque value",
        _ => "of an unknown kind",
    };

    public static string ElementType(int elemType) =>
        Enum.IsDefined(typeof(TensorProto.Types.DataType), elemType)
            ? ((TensorProto.Types.DataType)elemType).ToString().ToLowerInvariant()
            : "type " + elemType.ToString(CultureInfo.InvariantCulture);
}
