using Emc.Compiler.Ops;

namespace Emc.Compiler.Compilation;

/// <summary>The layout names the model interface states for the device input and the outputs.</summary>
internal static class InterfaceLayouts
{
    /// <summary>What the firmware feeds: one uint8 image, channel planes one after another.</summary>
    public const string DeviceInput = "NCHW planar";

    /// <summary>
    /// The ONNX order of an output's float data (row-major in its declared shape): "NHWC" when a Transpose
    /// (0,2,3,1) made it, "NCHW" for other rank-4 outputs, "NC" for rank 2, else "row-major".
    /// </summary>
    public static string Output(Ir.Value? value) => value?.Shape?.Rank switch
    {
        4 when value.Producer is { OpType: "Transpose", Parameters: TransposeParameters { Perm: [0, 2, 3, 1] } } => "NHWC",
        4 => "NCHW",
        2 => "NC",
        _ => "row-major",
    };
}
