namespace Emc.Kmodel.Tests;

/// <summary>File-level corruptions shared by the reader and simulator robustness tests.</summary>
internal static class ByteMutations
{
    public static byte[] Truncate(byte[] original, Random random, out string what)
    {
        int length = random.Next(original.Length);
        what = $"truncate to {length}";
        return original[..length];
    }

    public static byte[] FlipBits(byte[] original, Random random, out string what)
    {
        byte[] copy = (byte[])original.Clone();
        int flips = 1 + random.Next(8);
        for (int i = 0; i < flips; i++)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        what = $"{flips} bit flips";
        return copy;
    }
}
