namespace Emc.Build.Tasks.Kfpkg;

/// <summary>One file flashed from a .kfpkg bundle.</summary>
/// <param name="Name">File name inside the ZIP (no folders).</param>
/// <param name="Address">SPI-flash byte offset.</param>
/// <param name="Sha256Prefix">True only for bootable firmware at address 0 (kflash adds AES flag, length and hash).</param>
internal sealed record KfpkgEntry(string Name, uint Address, byte[] Content, bool Sha256Prefix);
