using Emc.Compiler.Compilation;
using Emc.Compiler.Import;
using Emc.Compiler.Ir;
using Emc.Compiler.K210.Lowering;
using Emc.Diagnostics;
using Emc.Imaging;
using Emc.IO;

namespace Emc.Compiler.Calibration;

/// <summary>
/// Loads calibration samples: images (BMP/PNG/JPEG; nearest-centre resize, preprocessed like the device input),
/// .npy (C order; float32 = the model's float input, uint8 = the device's input bytes in the kmodel's channel order),
/// ONNX TensorProto .pb files and raw float32 .dat/.bin/.f32 files (the model's float input), from folders (recursively, regular files only, folder
/// links not followed) or files, sorted by path (ordinal) so the result is deterministic. Float samples must be
/// finite (EMC0606). Without a dataset: uniform random device inputs from a fixed
/// seed, with a warning. Samples are decoded one at a time when read (<see cref="CalibrationDataset"/>), so memory does
/// not grow with the dataset.
/// </summary>
internal static class DatasetLoader
{
    /// <summary>Largest .npy sample file read (256 MiB).</summary>
    private const long MaxSampleFileBytes = 256L << 20;

    /// <summary>Samples used when no dataset is given.</summary>
    private const int RandomSamples = 8;

    private static readonly string[] s_imageExtensions = [".bmp", ".png", ".jpg", ".jpeg"];

    /// <summary>Raw little-endian float32 samples in C order, exactly the model input's size.</summary>
    private static readonly string[] s_rawFloatExtensions = [".dat", ".bin", ".f32"];

    /// <summary>Every sample at once (analyses and tests; the compiler streams them through <see cref="Open"/>);
    /// <paramref name="layout"/> says how the model input's order relates to the planar device bytes.</summary>
    public static List<CalibrationSample> Load(CompileOptions options, InputLayout layout, Preprocessing pre, DiagnosticBag diagnostics) =>
        [.. Open(options, layout, pre, diagnostics).Read(diagnostics)];

    /// <summary>
    /// The dataset's sample files, sorted and capped, without reading them (missing entries and the no-dataset warning
    /// are reported here); <see cref="CalibrationDataset.Read"/> then decodes one sample at a time.
    /// </summary>
    public static CalibrationDataset Open(CompileOptions options, InputLayout layout, Preprocessing pre, DiagnosticBag diagnostics)
    {
        var files = new List<string>();
        foreach (string entry in options.Dataset)
        {
            if (Directory.Exists(entry))
            {
                // Regular files only; folder links are not followed (a loop must not repeat or explode the list).
                files.AddRange(SafeFile.EnumerateRegularFiles(entry, IsSample));
            }
            else if (File.Exists(entry))
            {
                files.Add(entry);
            }
            else
            {
                diagnostics.Add(CompilerDiagnostics.DatasetFile.Create($"dataset entry '{entry}' does not exist", entry));
            }
        }

        var sources = files.Select(Path.GetFullPath).Distinct().Order(StringComparer.Ordinal).Take(options.MaxCalibrationSamples)
            .Select(f => new SampleSource(f)).ToList();
        if (options.Dataset.Count == 0)
        {
            diagnostics.Add(CompilerDiagnostics.DatasetMissing.Create(
                $"no calibration dataset given: activation ranges come from {RandomSamples} uniform random inputs (seed 1) over the input range; pass --dataset with representative inputs for a usable model"));
            sources.AddRange(Enumerable.Range(0, RandomSamples).Select(i => new SampleSource(null, i)));
        }

        return new CalibrationDataset(sources, layout, pre, options.ChannelOrder);
    }

    /// <summary>The seeded random sample number <paramref name="index"/> (device bytes uniform over 0..255), the same each time:
    /// the generator (seed 1) is run through the samples before it.</summary>
    internal static CalibrationSample Seeded(int index, InputLayout layout, Preprocessing pre)
    {
        int c = layout.Channels, h = layout.Height, w = layout.Width;
        var random = new Random(1);
        var bytes = new byte[c * h * w];
        for (int i = 0; i <= index; i++)
        {
            random.NextBytes(bytes);
        }

        return new CalibrationSample($"random#{index}", layout.ToModelOrder(ToModel(bytes, c, h * w, pre)), bytes);
    }

    private static bool IsSample(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        return s_imageExtensions.Contains(ext) || s_rawFloatExtensions.Contains(ext) || ext is ".npy" or ".pb";
    }

    internal static CalibrationSample? LoadOne(string file, InputLayout layout, Preprocessing pre, Compilation.ChannelOrder order, DiagnosticBag diagnostics)
    {
        int c = layout.Channels, h = layout.Height, w = layout.Width;
        string ext = Path.GetExtension(file).ToLowerInvariant();
        float[]? model = null;
        if (s_imageExtensions.Contains(ext))
        {
            var image = ImageDecoder.Load(file);
            if (image.Value is null)
            {
                diagnostics.AddRange(image.Diagnostics);
                return null;
            }

            byte[]? device = c switch
            {
                3 => ImagePreprocessor.ToChwBytes(image.Value, w, h, order == Compilation.ChannelOrder.Bgr ? Imaging.ChannelOrder.Bgr : Imaging.ChannelOrder.Rgb).Value,
                1 => ImagePreprocessor.ToGrayBytes(image.Value, w, h).Value,
                _ => null,
            };
            if (device is null)
            {
                diagnostics.Add(CompilerDiagnostics.DatasetShape.Create($"image samples need a 1- or 3-channel model input, the model has {c} channels", file));
                return null;
            }

            // The model sees its own (RGB) channel order.
            var modelBytes = order == Compilation.ChannelOrder.Bgr && c == 3 ? SwapPlanes(device, h * w) : device;
            return new CalibrationSample(file, layout.ToModelOrder(ToModel(modelBytes, c, h * w, pre)), device);
        }

        if (ext == ".npy")
        {
            byte[]? data = SafeFile.TryReadAll(file, MaxSampleFileBytes, out string? error);
            var array = data is null ? null : NpyReader.ReadArray(data, out error);
            if (array is null)
            {
                diagnostics.Add(CompilerDiagnostics.DatasetFile.Create(data is null ? "the file " + error : $"{error}", file));
                return null;
            }

            if (array.Bytes is { } device)
            {
                // uint8 .npy = the device's input bytes (planar C×H×W in the kmodel's channel order, before the
                // input map), exactly what the firmware feeds the KPU; float32 .npy = the model's own float input.
                if (device.Length != c * h * w)
                {
                    diagnostics.Add(CompilerDiagnostics.DatasetShape.Create($"uint8 sample has {device.Length} bytes, the device input needs {c}×{h}×{w} = {c * h * w}", file));
                    return null;
                }

                var modelBytes = order == Compilation.ChannelOrder.Bgr && c == 3 ? SwapPlanes(device, h * w) : device;
                return new CalibrationSample(file, ToModel(modelBytes, c, h * w, pre), device);
            }

            model = array.Floats;
        }
        else if (s_rawFloatExtensions.Contains(ext))
        {
            model = RawFloatSample.Read(file, c * h * w, MaxSampleFileBytes, diagnostics);
            if (model is null)
            {
                return null;
            }
        }
        else if (ext == ".pb")
        {
            var tensor = TensorProtoConverter.ReadFile(file);
            if (tensor.Value is null)
            {
                diagnostics.AddRange(tensor.Diagnostics);
                return null;
            }

            model = tensor.Value.ToFloatArray();
        }

        if (model is null || model.Length != c * h * w)
        {
            diagnostics.Add(CompilerDiagnostics.DatasetShape.Create($"sample has {model?.Length ?? 0} values, the model input needs {c}×{h}×{w} = {c * h * w}", file));
            return null;
        }

        int bad = Array.FindIndex(model, v => !float.IsFinite(v));
        if (bad >= 0)
        {
            diagnostics.Add(CompilerDiagnostics.NonFiniteData.Create(
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"sample value {bad} is {model[bad]}; calibration samples must be finite"), file));
            return null;
        }

        // .npy / .pb samples are in the model's own order; the device bytes are planar CHW.
        var planar = layout.ToDeviceOrder(model);
        var bytes = new byte[model.Length];
        int plane = h * w;
        for (int ch = 0; ch < c; ch++)
        {
            int mc = order == Compilation.ChannelOrder.Bgr && c == 3 ? 2 - ch : ch;
            for (int i = 0; i < plane; i++)
            {
                double q = (planar[(mc * plane) + i] - pre.Offset[mc]) / pre.Scale[mc];
                bytes[(ch * plane) + i] = (byte)Math.Clamp(Math.Round(q, MidpointRounding.ToEven), 0, 255);
            }
        }

        return new CalibrationSample(file, model, bytes);
    }

    private static byte[] SwapPlanes(byte[] chw, int plane)
    {
        var result = (byte[])chw.Clone();
        chw.AsSpan(0, plane).CopyTo(result.AsSpan(2 * plane));
        chw.AsSpan(2 * plane, plane).CopyTo(result);
        return result;
    }

    /// <summary>The model's float input for device bytes in model channel order.</summary>
    private static float[] ToModel(byte[] bytes, int c, int plane, Preprocessing pre)
    {
        var f = new float[bytes.Length];
        for (int ch = 0; ch < c; ch++)
        {
            for (int i = 0; i < plane; i++)
            {
                f[(ch * plane) + i] = (float)((bytes[(ch * plane) + i] * pre.Scale[ch]) + pre.Offset[ch]);
            }
        }

        return f;
    }
}
