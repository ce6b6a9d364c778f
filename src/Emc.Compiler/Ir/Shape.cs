using System.Collections;
using System.Globalization;

namespace Emc.Compiler.Ir;

/// <summary>An immutable, fully static tensor shape (the IR has no symbolic dimensions).</summary>
public sealed class Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    private readonly int[] _dims;

    public Shape(params int[] dims)
    {
        foreach (int d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(dims), "dimensions are non-negative");
            }
        }

        _dims = (int[])dims.Clone();
    }

    public Shape(IEnumerable<int> dims)
        : this(dims.ToArray())
    {
    }

    public static Shape Scalar { get; } = new();

    public int Rank => _dims.Length;

    public int Count => _dims.Length;

    public int this[int index] => _dims[index];

    /// <summary>Product of the dimensions (1 for a scalar).</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in _dims)
            {
                n *= d;
            }

            return n;
        }
    }

    public ReadOnlySpan<int> Dims => _dims;

    /// <summary>Row-major strides in elements.</summary>
    public long[] Strides()
    {
        var strides = new long[_dims.Length];
        long s = 1;
        for (int i = _dims.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= _dims[i];
        }

        return strides;
    }

    /// <summary>Normalises a possibly negative axis; returns -1 when out of range.</summary>
    public int NormalizeAxis(long axis)
    {
        long a = axis < 0 ? axis + Rank : axis;
        return a >= 0 && a < Rank ? (int)a : -1;
    }

    public int[] ToArray() => (int[])_dims.Clone();

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int d in _dims)
        {
            hash.Add(d);
        }

        return hash.ToHashCode();
    }

    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_dims).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();

    public override string ToString() =>
        "[" + string.Join(",", _dims.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
