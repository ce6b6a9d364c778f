using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Memory;

namespace Emc.Compiler.Tests.Memory;

[TestClass]
public sealed class InPlaceReuseTests
{
    [TestMethod]
    public void PickOverItsDyingInputIsInPlace()
    {
        // A stride-2 pick from offset 9 (row 1, column 1 of a 8×8 plane) reads at or after every byte it writes.
        var (model, input, output) = Single(i => new K210Tensor("o", K210ElementType.UInt8, K210MemoryKind.Main, 2, 4, 4),
            (i, o) => new QuantizedMaxPoolLayer("pick", i, o, 9, 8, 8, 1, 2, 0, 0));
        Assert.AreSame(input, InPlaceReuse.Find(model)[output]);
        MemoryPlanner.Plan(model);
        Assert.AreEqual(input.Address, output.Address);
    }

    [TestMethod]
    public void PaddedStrideOneMaxPoolIsNotInPlace()
    {
        // Output (0, 1, 0) is written at byte 8 but reads row 0 (bytes 0..1): it would read a byte already overwritten.
        var (model, _, _) = Single(i => new K210Tensor("o", K210ElementType.UInt8, K210MemoryKind.Main, 2, 8, 8),
            (i, o) => new QuantizedMaxPoolLayer("pool", i, o, 0, 8, 8, 3, 1, 1, 1));
        Assert.IsEmpty(InPlaceReuse.Find(model));
    }

    [TestMethod]
    public void DequantizeIsNeverInPlace()
    {
        // Writing float i covers input bytes 4i..4i+3, which later iterations still read.
        var (model, _, _) = Single(i => new K210Tensor("o", K210ElementType.Float32, K210MemoryKind.Main, 2, 8, 8),
            (i, o) => new DequantizeLayer("dq", i, o));
        Assert.IsEmpty(InPlaceReuse.Find(model));
    }

    [TestMethod]
    public void AnInputStillReadLaterIsNotOverwritten()
    {
        var input = new K210Tensor("i", K210ElementType.UInt8, K210MemoryKind.Main, 2, 8, 8);
        var a = new K210Tensor("a", K210ElementType.UInt8, K210MemoryKind.Main, 2, 8, 8);
        var b = new K210Tensor("b", K210ElementType.UInt8, K210MemoryKind.Main, 2, 8, 8);
        var model = new K210Model();
        model.Layers.Add(new RequantizeLayer("r1", input, a));
        model.Layers.Add(new QuantizedAddLayer("add", input, a, b));
        model.Outputs.Add(("b", b));
        var shared = InPlaceReuse.Find(model);
        Assert.IsFalse(shared.ContainsKey(a), "the add still reads the requantize's input");
        Assert.AreSame(input, shared[b]);
    }

    private static (K210Model Model, K210Tensor Input, K210Tensor Output) Single(Func<K210Tensor, K210Tensor> output, Func<K210Tensor, K210Tensor, K210Layer> layer)
    {
        var input = new K210Tensor("i", K210ElementType.UInt8, K210MemoryKind.Main, 2, 8, 8);
        var o = output(input);
        var model = new K210Model();
        model.Layers.Add(layer(input, o));
        model.Outputs.Add(("o", o));
        return (model, input, o);
    }
}
