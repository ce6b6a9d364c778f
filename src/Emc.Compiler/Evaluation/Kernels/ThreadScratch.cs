namespace Emc.Compiler.Evaluation.Kernels;

/// <summary>Per-thread scratch for the parallel kernel paths: grown on first use by each pool thread, then reused, so
/// steady-state runs do not allocate.</summary>
internal static class ThreadScratch
{
    [ThreadStatic]
    private static float[]?[]? t_slots;

    public static float[] Get(int slot, int length)
    {
        var slots = t_slots ??= new float[4][];
        var buffer = slots[slot];
        if (buffer is null || buffer.Length < length)
        {
            buffer = new float[length];
            slots[slot] = buffer;
        }

        return buffer;
    }
}
