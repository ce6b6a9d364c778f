namespace Emc.Compiler.Ops;

/// <summary>Parameters of a linear Resize/Upsample node: for each axis, the input length, the scale the coordinates
/// were computed with, and for each output index the two input indices it blends and the weight of the second
/// (<see cref="Support.LinearResampling"/>); the coordinate mode as resolved for the node's opset.</summary>
internal sealed record LinearResizeParameters(LinearAxis[] Axes, string CoordinateMode);

/// <summary>One axis of a linear resize: output index o reads (1 − Weight[o])·x[Low[o]] + Weight[o]·x[High[o]].</summary>
internal sealed record LinearAxis(int InputLength, double Scale, int[] Low, int[] High, float[] Weight)
{
    public int OutputLength => Low.Length;

    /// <summary>True when every output index reads exactly the input at the same index.</summary>
    public bool IsIdentity => OutputLength == InputLength && Enumerable.Range(0, OutputLength).All(o => Low[o] == o && Weight[o] == 0);
}
