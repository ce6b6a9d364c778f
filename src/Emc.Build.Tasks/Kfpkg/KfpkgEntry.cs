namespace Emc.Build.Tasks.Kfpkg;

/// <summary>One file flashed from a .kfpkg bundle (a plain class: netstandard2.0 has no init accessors for records).</summary>
/// <param name="name">File name inside the ZIP (no folders).</param>
/// <param name="address">SPI-flash byte offset.</param>
/// <param name="content">The file's bytes.</param>
/// <param name="sha256Prefix">True only for bootable firmware at address 0 (kflash adds AES flag, length and hash).</param>
internal sealed class KfpkgEntry(string name, uint address, byte[] content, bool sha256Prefix)
{
    public string Name { get; } = name;

    public uint Address { get; } = address;

    public byte[] Content { get; } = content;

    public bool Sha256Prefix { get; } = sha256Prefix;
}
