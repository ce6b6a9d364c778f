namespace Emc.Kmodel;

/// <summary>Shape conveniences over the raw "minus one" register fields.</summary>
public partial struct KpuLayerArgument
{
    /// <summary>1 (kernel_type 0) or 3 (kernel_type 1); 0 for any other kernel_type.</summary>
    public readonly int KernelSize => KernelType switch { 0 => 1, 1 => 3, _ => 0 };

    public int InWidth
    {
        readonly get => (int)IRowWid + 1;
        set => IRowWid = (uint)(value - 1);
    }

    public int InHeight
    {
        readonly get => (int)IColHigh + 1;
        set => IColHigh = (uint)(value - 1);
    }

    public int InChannels
    {
        readonly get => (int)IChNum + 1;
        set => IChNum = (uint)(value - 1);
    }

    public int OutWidth
    {
        readonly get => (int)ORowWid + 1;
        set => ORowWid = (uint)(value - 1);
    }

    public int OutHeight
    {
        readonly get => (int)OColHigh + 1;
        set => OColHigh = (uint)(value - 1);
    }

    public int OutChannels
    {
        readonly get => (int)OChNum + 1;
        set => OChNum = (uint)(value - 1);
    }

    /// <summary>Output channels per weight load (o_ch_num_coef + 1).</summary>
    public int OutChannelsPerLoad
    {
        readonly get => (int)OChNumCoef + 1;
        set => OChNumCoef = (uint)(value - 1);
    }

    /// <summary>Number of weight loads (load_time + 1).</summary>
    public int Loads
    {
        readonly get => (int)LoadTime + 1;
        set => LoadTime = (uint)(value - 1);
    }
}
