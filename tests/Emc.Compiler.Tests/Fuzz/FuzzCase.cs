using Emc.Diagnostics;
using Emc.Onnx;
using Emc.Onnx.Protobuf;

namespace Emc.Compiler.Tests.Fuzz;

/// <summary>One fuzz input through every public stage that accepts it; records how far it got and what it cost.</summary>
internal static class FuzzCase
{
    public sealed record Outcome(string Stage, IReadOnlyList<string> Codes, long AllocatedBytes, Exception? Exception);

    public static Outcome Run(byte[] bytes, string path, string directory)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        string stage = "load";
        var codes = new List<string>();
        try
        {
            Result<ModelProto> loaded = OnnxModelLoader.Load(bytes, path, directory);
            codes.AddRange(loaded.Diagnostics.Select(d => d.Code));
            if (loaded.Value is null)
            {
                return Done("rejected by loader", null);
            }

            stage = "loaded";
            return Done(stage, null);
        }
        catch (Exception e)
        {
            return Done(stage, e);
        }

        Outcome Done(string reached, Exception? e) =>
            new(reached, codes, GC.GetAllocatedBytesForCurrentThread() - before, e);
    }
}
