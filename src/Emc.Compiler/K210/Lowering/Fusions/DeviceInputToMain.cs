using Emc.Compiler.Ir;
using Emc.Compiler.K210.Graph;
using Emc.Compiler.K210.Kpu;
using Emc.Compiler.K210.Lowering.Steps;
using Emc.Compiler.Passes;
using Emc.Kmodel;

namespace Emc.Compiler.K210.Lowering.Fusions;

/// <summary>
/// A device input over 65536 pixels per channel that is not read by exactly one conv the KPU can run on it directly
/// (it feeds a CPU layer or a graph output, or a conv tiled into row bands, <see cref="ConvByRowBands"/>): the identity
/// first layer of <see cref="IdentityInputLayer"/> cannot send such a plane anywhere (channel_byte_num). Instead, with
/// stock layers and byte-exact:
/// <list type="bullet">
/// <item>the first layer, which the SDK requires to be a K210_CONV reading the whole input (its registers say how the
/// image is placed in KPU RAM), is a 1×1 identity conv with a 4×4 pool whose small output nothing reads;</item>
/// <item>the input's KPU RAM is copied to main memory by 1×1 identity convs over one-channel maps 64 bytes wide
/// (<see cref="OddStemByEdges.CopyToMain"/>);</item>
/// <item>when rows are padded in KPU RAM (width not a multiple of 64) one CONCAT of ranges takes each row's pixels into a
/// planar [C, H, W] map; otherwise the copy is that map already.</item>
/// </list>
/// Only for an input map that is the device input's quantization (one scale and an exact zero point) in the device's
/// channel order, so every byte passes unchanged; other maps (and channel order bgr) stay EMC0503 as before.
/// </summary>
internal sealed class DeviceInputToMain : IPass
{
    public static readonly DeviceInputToMain Instance = new();

    public string Name => "device-input-to-main";

    public string Summary => "an input over 65536 pixels per channel read by a CPU layer or a banded conv → a pooled first layer, then the input's KPU RAM copied to main memory (planar)";

    /// <summary>True where the identity first layer would break the plane limit and a planar copy is exact.</summary>
    public static bool Applies(LoweringContext ctx, Value fed, K210Tensor device) =>
        (long)device.Height * device.Width > CheckKpuLimits.MaxMainOutputPlane && ctx.Preprocessing is { IsQuantization: true, SwapRedBlue: false }
        && KpuTensorLayout.ForWidth(device.Width).Groups == 1 && device.Height / 4 >= Nodes.ConvLowering.MinSize && device.Width / 4 >= Nodes.ConvLowering.MinSize
        && (fed.Consumers.Count != 1 || fed.Consumers[0].OpType != "Conv" || ctx.Graph.Outputs.Contains(fed) || ConvByRowBands.Bandable(ctx, fed.Consumers[0]));

    /// <summary>Adds the layers; the planar copy becomes the value's main-memory form (consumers that need KPU RAM upload it).</summary>
    public void Apply(LoweringContext ctx, Value fed, K210Tensor device)
    {
        ctx.Passes.Record(this);
        int before = ctx.Model.Layers.Count;
        int c = device.Channels, h = device.Height, w = device.Width;
        string name = "(input) " + fed.Name;
        var unread = ctx.NewTensor(fed.Name + ".delivered", K210ElementType.UInt8, K210MemoryKind.Kpu, c, h / 4, w / 4);
        unread.QuantFrom = device;
        ctx.Add(new KpuConvLayer(name, device, unread, IdentityInputLayer.Matrix(ctx.Preprocessing!, c, true), KpuActivationFunction.Linear, KpuPoolType.Max4S4));

        var raw = OddStemByEdges.CopyToMain(ctx, name, device);
        K210Tensor planar;
        long rowBytes = (long)KpuTensorLayout.ForWidth(w).RowLength * KpuTensorLayout.UnitBytes;
        if (rowBytes == w)
        {
            planar = ctx.NewTensor(fed.Name + ".main", K210ElementType.UInt8, K210MemoryKind.Main, c, h, w);
            planar.AliasOf = raw;
            planar.QuantFrom = device;
        }
        else
        {
            var runs = new List<ElementRun>(c * h);
            for (long row = 0; row < (long)c * h; row++)
            {
                runs.Add(new ElementRun(row * rowBytes, w));
            }

            planar = GatherRunsByConcat.Instance.Apply(ctx, name, raw, runs, fed.Name + ".main", (c, h, w));
        }

        foreach (var layer in ctx.Model.Layers.Skip(before))
        {
            layer.Tiling = layer == ctx.Model.Layers[before] ? "input over 65536 px: first layer reads it (4×4 pool, output unread)"
                : layer is KpuConvLayer ? "input KPU RAM copied to main memory" : "copied rows made planar";
        }

        ctx.DeviceInputInMain = planar;
        var slot = ctx.Slot(fed);
        slot.MainU8 = planar;
        slot.Kpu = null;
        slot.KpuProducer = null;
    }
}
