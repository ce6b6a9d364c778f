using System.Buffers.Binary;
using Emc.Compiler.Compilation;
using Emc.Diagnostics;
using Emc.IO;

namespace Emc.Compiler.Calibration;

/// <summary>
/// A raw calibration sample (.dat/.bin/.f32): the model input as little-endian float32 in C order, nothing else —
/// so its size must be exactly 4 × the input's element count (EMC0604 names both byte counts otherwise).
/// </summary>
internal static class RawFloatSample
{
    public static float[]? Read(string file, int elements, long maxBytes, DiagnosticBag diagnostics)
    {
        long expected = 4L * elements;
        string? error = SafeFile.CheckRegular(file);
        if (error is null)
        {
            long actual = new FileInfo(file).Length;
            if (actual != expected)
            {
                diagnostics.Add(CompilerDiagnostics.DatasetShape.Create(
                    $"raw float32 sample has {actual} bytes, the model input needs {elements} float32 values = {expected} bytes", file));
                return null;
            }
        }

        byte[]? data = error is null ? SafeFile.TryReadAll(file, Math.Min(expected, maxBytes), out error) : null;
        if (data is null)
        {
            diagnostics.Add(CompilerDiagnostics.DatasetFile.Create("the file " + error, file));
            return null;
        }

        if (data.Length != expected)
        {
            diagnostics.Add(CompilerDiagnostics.DatasetShape.Create(
                $"raw float32 sample has {data.Length} bytes, the model input needs {elements} float32 values = {expected} bytes", file));
            return null;
        }

        var values = new float[elements];
        for (int i = 0; i < elements; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(4 * i));
        }

        return values;
    }
}
