namespace Emc.Imaging;

/// <summary>Order of the three colour planes in a CHW tensor.</summary>
public enum ChannelOrder
{
    Rgb,
    Bgr,
}
