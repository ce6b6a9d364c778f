namespace Emc.Cli;

/// <summary>Tells a kmodel from an ONNX file: by extension first, then by the first bytes.</summary>
public static class ModelFileKind
{
    public enum Kind
    {
        Onnx,
        Kmodel,
    }

    public static Kind Detect(string path)
    {
        string ext = Path.GetExtension(path);
        if (ext.Equals(".kmodel", StringComparison.OrdinalIgnoreCase))
        {
            return Kind.Kmodel;
        }

        if (ext.Equals(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            return Kind.Onnx;
        }

        Span<byte> head = stackalloc byte[4];
        // Regular files only: opening a FIFO blocks. Anything else is left to the ONNX loader to report.
        using var stream = Emc.IO.SafeFile.TryOpenRead(path, out _);
        if (stream is null)
        {
            return Kind.Onnx;
        }

        int n = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        if (n < 4)
        {
            return Kind.Onnx;
        }

        uint word = BitConverter.ToUInt32(head);
        // kmodel v3 (3), legacy v1 (1), nncase v4+ ("KMDL" FourCC), byte-swapped v3 flash images.
        return word is 3 or 1 or 0x4B4D444C or 0x03000000 ? Kind.Kmodel : Kind.Onnx;
    }
}
