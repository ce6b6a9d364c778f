namespace Emc.Kmodel.Tests;

[TestClass]
public sealed class KpuRegisterTests
{
    [TestMethod]
    public void FieldsLandOnTheSpecBits()
    {
        var r = default(KpuLayerArgument);
        r.ImageDstAddr = 0x7FFF;
        Assert.AreEqual(0x7FFFUL << 32, r[1], "image_dst_addr is bits 32-46 of word 1");
        r.DepthWiseLayer = true;
        Assert.AreEqual(8UL, r[0]);
        r.ParaSize = 30720;
        Assert.AreEqual(30720UL << 15, r[5]);
        r.LoadTime = 63;
        Assert.AreEqual((30720UL << 15) | (63UL << 1), r[5]);
        r.PoolType = 9;
        r.PadValue = 0xAB;
        Assert.AreEqual((9UL << 4) | (0xABUL << 24), r[4]);
        r.DmaTotalByte = uint.MaxValue;
        Assert.AreEqual(0xFFFF_FFFF_0000_0000UL, r[11]);
        r.WbGroup = 4;
        Assert.AreEqual(4UL << 20, r[8]);
    }

    [TestMethod]
    public void SignedFieldsSignExtend()
    {
        var r = default(KpuLayerArgument);
        r[9] = 0x00FF_FFFF_8000_00F3UL; // arg_x = -1, arg_w = 0x800000 = -8388608, shr_x = 15, shr_w = 3
        Assert.AreEqual(-1, r.ArgX);
        Assert.AreEqual(-8388608, r.ArgW);
        Assert.AreEqual(15u, r.ShrX);
        Assert.AreEqual(3u, r.ShrW);
        r[10] = 0x80_0000_0000UL;
        Assert.AreEqual(-(1L << 39), r.ArgAdd);
        r.ArgAdd = -2;
        Assert.AreEqual(0xFF_FFFF_FFFEUL, r[10], "arg_add stays within 40 bits");
        r.ArgX = -2;
        Assert.AreEqual(0xFF_FFFEUL, r[9] >> 32, "arg_x stays within bits 32-55");
        Assert.AreEqual(-8388608, r.ArgW, "setting arg_x leaves arg_w");
    }

    [TestMethod]
    public void SettersRejectValuesThatDoNotFit()
    {
        var r = default(KpuLayerArgument);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => r.ArgX = 1 << 23);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => r.ArgW = -(1 << 23) - 1);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => r.ArgAdd = 1L << 39);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => r.ImageSrcAddr = 32768);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => r.LoadTime = 64);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => r.InChannels = 1025);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => r.OutHeight = 0);
        r.ArgX = (1 << 23) - 1;
        r.ArgW = -(1 << 23);
        Assert.AreEqual(((1 << 23) - 1, -(1 << 23)), (r.ArgX, r.ArgW));
    }

    [TestMethod]
    public void ConveniencePropertiesAddOne()
    {
        var r = default(KpuLayerArgument);
        r.InWidth = 320;
        r.InHeight = 240;
        r.InChannels = 3;
        r.OutChannels = 1000;
        r.KernelType = 1;
        Assert.AreEqual((319u, 239u, 2u, 999u, 3), (r.IRowWid, r.IColHigh, r.IChNum, r.OChNum, r.KernelSize));
        r.KernelType = 2;
        Assert.AreEqual(0, r.KernelSize);
    }

    [TestMethod]
    public void ReservedMasksCoverExactlyTheUnnamedBits()
    {
        Assert.AreEqual(~0xFUL, KpuRegisterFields.ReservedMask(0));
        Assert.AreEqual(~((0x7FFFUL << 32) | 0x7FFFUL), KpuRegisterFields.ReservedMask(1));
        Assert.AreEqual(0xFF00_0000_0000_0000UL, KpuRegisterFields.ReservedMask(9), "word 9 is used up to bit 55");
    }

    [TestMethod]
    public void BatchNormAndActivationWordsRoundTrip()
    {
        var bn = new KpuBatchNorm(-(1 << 23), int.MinValue, 15);
        Assert.AreEqual(bn, KpuBatchNorm.Decode(bn.Encode()));
        Assert.AreEqual(0UL, bn.Encode() & KpuBatchNorm.ReservedMask);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new KpuBatchNorm(1 << 23, 0, 0).Encode());
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new KpuBatchNorm(0, 0, 16).Encode());
        var segment = new KpuActivationSegment(KpuActivationSegment.MinXStart, 32767, 15, 7);
        Assert.AreEqual(segment, KpuActivationSegment.Decode(segment.Encode(), 7));
        Assert.AreEqual(0x8_0000_0000UL << 24, segment.Encode() & (0xF_FFFF_FFFFUL << 24));
    }

    [TestMethod]
    public void RealConvRegistersFollowTheSpecDerivations()
    {
        // mbnetv1 layer 0: 3×224×224 input, W > 32 → groups 1, row_len ceil(224/64) = 4 (spec §3.2).
        var r = ((K210ConvBody)KmodelCorpus.Read(KmodelCorpus.MbnetV1).Layers[0].Body).Registers;
        Assert.AreEqual((4u * 224, 4u, 1u), (r.ChannelSwitchAddr, r.RowSwitchAddr, r.CoefGroup));
        Assert.AreEqual((2u * 112, 2u, 1u), (r.WbChannelSwitchAddr, r.WbRowSwitchAddr, r.WbGroup));
        Assert.AreEqual((112u * 112 - 1, 112u * 112 * 24 - 1), (r.ChannelByteNum, r.DmaTotalByte));
    }
}
