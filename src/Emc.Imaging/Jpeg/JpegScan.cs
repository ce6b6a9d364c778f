namespace Emc.Imaging.Jpeg;

/// <summary>The parameters of one SOS: its components and, for progressive scans, the spectral band and bit position.</summary>
internal readonly record struct JpegScan(JpegComponent[] Components, int Ss, int Se, int Ah, int Al);
