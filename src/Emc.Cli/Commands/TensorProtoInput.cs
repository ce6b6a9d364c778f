using System.Globalization;
using System.Runtime.InteropServices;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Diagnostics;
using Emc.Kmodel.Simulation;

namespace Emc.Cli.Commands;

/// <summary>
/// <c>emc simulate --input x.pb</c>: a TensorProto holds what the device takes — uint8 planar C×H×W for a
/// K210_CONV-first model, float32 in_channels for a FULLY_CONNECTED-first one. Float data for a conv-first model is
/// refused rather than quantized: the scale/zero point of the first layer are not in the kmodel.
/// </summary>
internal static class TensorProtoInput
{
    public static Result<SimulateCommand.InputBytes> Load(string path, KmodelSimulator simulator)
    {
        var read = TensorProtoConverter.ReadFile(path);
        if (read.Value is not { } tensor)
        {
            return new Result<SimulateCommand.InputBytes>(null, read.Diagnostics);
        }

        (int c, int h, int w) = simulator.InputShape;
        bool planar = simulator.InputKind == SimulatorInputKind.UInt8Planar;
        string wants = planar
            ? Invariant($"uint8 planar {c}×{h}×{w} ({c * h * w} values)")
            : Invariant($"float32 × {c}");
        string note = Invariant($"input: TensorProto {tensor.Type.Name()} {tensor.Shape} → {wants}");

        if (planar && tensor.Type == DataType.Float32)
        {
            return Fail(path, Invariant(
                $"the tensor is float32 but the model starts with K210_CONV, which takes {wants}; the kmodel does not say how to quantize floats — pass a uint8 TensorProto, raw bytes or an image"));
        }

        if (tensor.Type != (planar ? DataType.UInt8 : DataType.Float32))
        {
            return Fail(path, Invariant($"the tensor is {tensor.Type.Name()}; the model takes {wants}"));
        }

        if (tensor.ElementCount != (planar ? (long)c * h * w : c))
        {
            return Fail(path, Invariant($"the tensor {tensor.Shape} has {tensor.ElementCount} values; the model takes {wants}"));
        }

        byte[] data = planar
            ? (byte[])tensor.As<byte>().Data.Clone()
            : MemoryMarshal.AsBytes(tensor.As<float>().Data.AsSpan()).ToArray();
        return new Result<SimulateCommand.InputBytes>(new SimulateCommand.InputBytes(data, note), read.Diagnostics);
    }

    private static Result<SimulateCommand.InputBytes> Fail(string path, string message)
        => new(null, [CliDiagnostics.SimulatorInputUnusable.Create(message, path)]);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
