using System.CommandLine;
using System.Globalization;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Diagnostics;
using Emc.Imaging;
using Emc.Kmodel;
using Emc.Kmodel.Simulation;

namespace Emc.Cli.Commands;

/// <summary>
/// <c>emc simulate model.kmodel --input FILE --output-dir DIR [--trace] [--rounding sdk|half-even]</c>: runs a kmodel
/// on the bit-exact K210 simulator. Input: an ONNX TensorProto (<c>*.pb</c>: uint8 of the first conv's C×H×W, or
/// float32 for a FULLY_CONNECTED-first model), raw bytes of exactly the model's input size, or an image
/// (BMP/PNG/JPEG, resized to the first conv's W×H, RGB planes; one channel → luma). Writes <c>output_k.bin</c> (raw
/// bytes) and, when the size allows a float32 view, <c>output_k.f32</c> (little-endian) and <c>output_k.pb</c>
/// (TensorProto float32, dims = [element count]); with --trace <c>layer_i_TYPE.bin</c> per layer.
/// </summary>
public static class SimulateCommand
{

    public static Command Create()
    {
        var model = new Argument<FileInfo>("model") { Description = "A kmodel v3 file." };
        var input = new Option<FileInfo>("--input") { Description = "A TensorProto .pb (uint8, or float32 for an FC-first model), raw input bytes, or an image (BMP/PNG/JPEG).", Required = true };
        var outputDir = new Option<DirectoryInfo>("--output-dir") { Description = "Folder for output_<k>.bin/.f32/.pb (and layer traces).", Required = true };
        var trace = new Option<bool>("--trace") { Description = "Also write layer_<i>_<type>.bin for every layer." };
        var rounding = new Option<string>("--rounding") { Description = "Activation rounding: sdk (default) or half-even.", DefaultValueFactory = _ => "sdk" };
        rounding.AcceptOnlyFromAmong("sdk", "half-even");
        var command = new Command("simulate", "Run a kmodel v3 on the bit-exact K210 simulator.") { model, input, outputDir, trace, rounding };
        command.SetAction(parse => Run(
            parse.GetValue(model)!,
            parse.GetValue(input)!,
            parse.GetValue(outputDir)!,
            parse.GetValue(trace),
            parse.GetValue(rounding) == "half-even" ? ActivationRounding.HalfEven : ActivationRounding.SdkHalfUp,
            Console.Out,
            Console.Error));
        return command;
    }

    public static int Run(FileInfo model, FileInfo input, DirectoryInfo outputDir, bool trace, ActivationRounding rounding, TextWriter stdout, TextWriter stderr)
    {
        if ((CliFiles.Missing(model, "model file") ?? CliFiles.Missing(input, "input file")) is { } missing)
        {
            return CliRunner.Report([missing], stderr);
        }

        var read = KmodelReader.ReadFile(model.FullName);
        if (read.Value is null)
        {
            return CliRunner.Report(read.Diagnostics.Where(d => d.IsError), stderr);
        }

        if (File.Exists(outputDir.FullName))
        {
            return CliRunner.Report([CliDiagnostics.OutputWriteFailed.Create("--output-dir names an existing file, not a folder", outputDir.FullName)], stderr);
        }

        try
        {
            Directory.CreateDirectory(outputDir.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CliRunner.Report([CliDiagnostics.OutputWriteFailed.Create("cannot create the output folder: " + e.Message, outputDir.FullName)], stderr);
        }
        var traced = new List<(int Index, KmodelLayerType Type, byte[] Bytes)>();
        var options = new SimulatorOptions
        {
            Rounding = rounding,
            Trace = trace ? (i, type, bytes) => traced.Add((i, type, bytes.ToArray())) : null,
        };
        var created = KmodelSimulator.Create(read.Value, options, model.FullName);
        if (created.Value is not { } simulator)
        {
            return CliRunner.Report(created.Diagnostics, stderr);
        }

        var bytes = LoadInput(input.FullName, simulator);
        if (bytes.Value is null)
        {
            return CliRunner.Report(bytes.Diagnostics, stderr);
        }

        var run = simulator.TryRun(bytes.Value.Data);
        if (run.Value is null)
        {
            return CliRunner.Report(run.Diagnostics, stderr);
        }

        try
        {
            foreach (SimulationOutput output in run.Value.Outputs)
            {
                string stem = Path.Combine(outputDir.FullName, string.Create(CultureInfo.InvariantCulture, $"output_{output.Index}"));
                Emc.IO.SafeFile.WriteAtomically(stem + ".bin", output.Bytes);
                if (output.AsFloat32() is { } floats)
                {
                    Emc.IO.SafeFile.WriteAtomically(stem + ".f32", output.Bytes);
                    TensorProtoConverter.WriteFile(Tensor.Create(new Shape(floats.Length), floats), stem + ".pb",
                        string.Create(CultureInfo.InvariantCulture, $"output_{output.Index}"));
                    int top = floats.Length == 0 ? -1 : Array.IndexOf(floats, floats.Max());
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"output {output.Index}: {output.Bytes.Length} bytes, {floats.Length} float32, argmax {top}"));
                }
                else
                {
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"output {output.Index}: {output.Bytes.Length} bytes"));
                }
            }

            foreach (var (index, type, data) in traced)
            {
                string name = string.Create(CultureInfo.InvariantCulture, $"layer_{index}_{KmodelLayerTypes.SdkName(type)}.bin");
                Emc.IO.SafeFile.WriteAtomically(Path.Combine(outputDir.FullName, name), data);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return CliRunner.Report([CliDiagnostics.OutputWriteFailed.Create("cannot write the outputs: " + e.Message, outputDir.FullName)], stderr);
        }

        if (bytes.Value.Note is { } note)
        {
            stdout.WriteLine(note);
        }

        return CliRunner.Report(created.Diagnostics, stderr);
    }

    /// <summary>Largest input file read (256 MiB; the K210 has 6 MB of SRAM).</summary>
    private const long MaxInputBytes = 256L << 20;

    internal sealed record InputBytes(byte[] Data, string? Note);

    /// <summary>
    /// A <c>.pb</c> file is a TensorProto; an image (by magic bytes) becomes planar uint8 at the first layer's size;
    /// anything else is raw bytes.
    /// </summary>
    private static Result<InputBytes> LoadInput(string path, KmodelSimulator simulator)
    {
        if (path.EndsWith(".pb", StringComparison.OrdinalIgnoreCase))
        {
            return TensorProtoInput.Load(path, simulator);
        }

        byte[]? data = Emc.IO.SafeFile.TryReadAll(path, MaxInputBytes, out string? error);
        if (data is null)
        {
            return new Result<InputBytes>(null, [CliDiagnostics.SimulatorInputUnusable.Create("the input file " + error, path)]);
        }

        bool image = ImageDecoder.DetectFormat(data) != ImageFormat.Unknown;
        if (!image || simulator.InputKind != SimulatorInputKind.UInt8Planar)
        {
            return new Result<InputBytes>(new InputBytes(data, null), []);
        }

        var decoded = ImageDecoder.Decode(data, path);
        if (decoded.Value is null)
        {
            return new Result<InputBytes>(null, decoded.Diagnostics);
        }

        (int c, int h, int w) = simulator.InputShape;
        var planar = c switch
        {
            3 => ImagePreprocessor.ToChwBytes(decoded.Value, w, h),
            1 => ImagePreprocessor.ToGrayBytes(decoded.Value, w, h),
            _ => new Result<byte[]>(null, [CliDiagnostics.SimulatorInputUnusable.Create(string.Create(CultureInfo.InvariantCulture, $"the model takes {c} channels; an image gives 1 or 3"), path)]),
        };
        string note = string.Create(CultureInfo.InvariantCulture,
            $"input: {decoded.Value.Width}×{decoded.Value.Height} image → {c}×{h}×{w} planar uint8");
        return planar.Value is null
            ? new Result<InputBytes>(null, planar.Diagnostics)
            : new Result<InputBytes>(new InputBytes(planar.Value, note), planar.Diagnostics);
    }
}
