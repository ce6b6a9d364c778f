namespace Emc.Kmodel;

/// <summary>One output table entry (spec §1.2): a byte range of the main buffer.</summary>
public readonly record struct KmodelOutput(uint Address, uint Size);
