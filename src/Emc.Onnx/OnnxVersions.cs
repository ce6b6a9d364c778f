namespace Emc.Onnx;

/// <summary>The ONNX IR versions and ai.onnx opsets Emc.Build reads.</summary>
public static class OnnxVersions
{
    /// <summary>Oldest IR version accepted (ONNX 1.0 files are IR 3).</summary>
    public const long MinIrVersion = 3;

    /// <summary>Newest IR version tested; newer files load with a warning.</summary>
    public const long MaxIrVersion = 13;

    /// <summary>Oldest ai.onnx opset whose operator semantics are implemented.</summary>
    public const long MinOpset = 6;

    /// <summary>Newest ai.onnx opset tested; newer models load with a warning.</summary>
    public const long MaxOpset = 25;

    public static bool IsDefaultDomain(string? domain) => string.IsNullOrEmpty(domain) || domain == "ai.onnx";
}
