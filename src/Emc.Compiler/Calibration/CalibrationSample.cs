namespace Emc.Compiler.Calibration;

/// <summary>One calibration input: the float tensor the ONNX model sees and the uint8 planes the device receives.</summary>
internal sealed record CalibrationSample(string Source, float[] ModelInput, byte[] DeviceInput);
