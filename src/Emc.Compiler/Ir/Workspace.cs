using System.Runtime.InteropServices;

namespace Emc.Compiler.Ir;

/// <summary>Scratch buffers shared by the nodes of one evaluator (single-threaded), grown on demand and reused.</summary>
public sealed class Workspace
{
    private readonly List<byte[]> _slots = [];

    public Span<T> Get<T>(int slot, int length)
        where T : unmanaged
    {
        while (_slots.Count <= slot)
        {
            _slots.Add([]);
        }

        int bytes = checked(length * Marshal.SizeOf<T>());
        if (_slots[slot].Length < bytes)
        {
            _slots[slot] = new byte[bytes];
        }

        return MemoryMarshal.Cast<byte, T>(_slots[slot].AsSpan(0, bytes));
    }
}
