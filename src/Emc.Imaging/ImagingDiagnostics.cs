using Emc.Diagnostics;

namespace Emc.Imaging;

/// <summary>Diagnostics of image decoding and preprocessing (EMC07xx).</summary>
public static class ImagingDiagnostics
{
    public static readonly DiagnosticDescriptor UnknownFormat =
        new("EMC0701", DiagnosticSeverity.Error, "Not a BMP, PNG or JPEG image");

    public static readonly DiagnosticDescriptor ReadFailed =
        new("EMC0702", DiagnosticSeverity.Error, "Image file could not be read");

    public static readonly DiagnosticDescriptor Corrupt =
        new("EMC0703", DiagnosticSeverity.Error, "Image data is truncated or malformed");

    public static readonly DiagnosticDescriptor TooLarge =
        new("EMC0704", DiagnosticSeverity.Error, "Image dimensions exceed the decoder's limit");

    public static readonly DiagnosticDescriptor BmpUnsupported =
        new("EMC0705", DiagnosticSeverity.Error, "Unsupported BMP variant");

    public static readonly DiagnosticDescriptor PngUnsupported =
        new("EMC0706", DiagnosticSeverity.Error, "Unsupported PNG variant");

    public static readonly DiagnosticDescriptor PngCrcMismatch =
        new("EMC0707", DiagnosticSeverity.Error, "PNG chunk CRC mismatch");

    public static readonly DiagnosticDescriptor JpegUnsupported =
        new("EMC0708", DiagnosticSeverity.Error, "Unsupported JPEG variant");

    public static readonly DiagnosticDescriptor InvalidPreprocessing =
        new("EMC0709", DiagnosticSeverity.Error, "Invalid image preprocessing options");
}
