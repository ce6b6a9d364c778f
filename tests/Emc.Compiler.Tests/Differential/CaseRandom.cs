using Emc.Compiler.Ir;

namespace Emc.Compiler.Tests.Differential;

/// <summary>Seeded random shapes, values and attribute choices for generated cases.</summary>
internal sealed class CaseRandom(int seed)
{
    private readonly Random _random = new(seed);

    public int Int(int minInclusive, int maxInclusive) => _random.Next(minInclusive, maxInclusive + 1);

    public bool Bool() => _random.Next(2) == 0;

    public float Float(float min, float max) => (float)(min + _random.NextDouble() * (max - min));

    public T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

    public int[] Dims(int rank, int min = 1, int max = 5) => Enumerable.Range(0, rank).Select(_ => Int(min, max)).ToArray();

    public Tensor<float> Tensor(int[] dims, float min = -1f, float max = 1f)
    {
        var shape = new Shape(dims);
        var data = new float[shape.ElementCount];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = Float(min, max);
        }

        return Ir.Tensor.Create(shape, data);
    }

    /// <summary>Values with magnitude in [0.5, 2] and random sign (safe denominators).</summary>
    public Tensor<float> NonZero(int[] dims)
    {
        Tensor<float> t = Tensor(dims, 0.5f, 2f);
        for (int i = 0; i < t.Data.Length; i++)
        {
            t.Data[i] = Bool() ? t.Data[i] : -t.Data[i];
        }

        return t;
    }

    /// <summary>A shape that broadcasts to <paramref name="target"/> (numpy rules): a suffix with some dims set to 1.</summary>
    public int[] BroadcastableTo(int[] target)
    {
        int rank = Int(0, target.Length);
        return target[(target.Length - rank)..].Select(d => Bool() ? d : 1).ToArray();
    }

    public int[] Permutation(int n)
    {
        int[] p = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = _random.Next(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }

        return p;
    }
}
