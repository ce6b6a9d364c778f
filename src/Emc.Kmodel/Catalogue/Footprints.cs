namespace Emc.Kmodel.Catalogue;

/// <summary>Shorthands for the footprints of the entries: main-memory tensors in bytes, KPU tensors in 64-byte units.</summary>
internal static class Footprints
{
    /// <summary>Bytes of a float32 element.</summary>
    public const long F32 = 4;

    public static MemoryRange In(string name, uint start, long length, bool rounded = false) =>
        new(name, MemorySpace.Main, false, start, length, rounded);

    public static MemoryRange Out(string name, uint start, long length, bool rounded = false) =>
        new(name, MemorySpace.Main, true, start, length, rounded);

    public static MemoryRange KpuOut(string name, uint startUnit, long units) =>
        new(name, MemorySpace.Kpu, true, startUnit, units);
}
