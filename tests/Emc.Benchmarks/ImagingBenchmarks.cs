using BenchmarkDotNet.Attributes;
using Emc.Imaging;

namespace Emc.Benchmarks;

/// <summary>
/// Image decode and preprocessing speed (calibration decodes hundreds of images).
/// Target: a 500×375 baseline JPEG decodes in well under 10 ms; the 224×224 CHW float preprocessing in under 1 ms.
/// </summary>
[MemoryDiagnoser]
public class ImagingBenchmarks
{
    private byte[] _jpeg = [];
    private byte[] _jpegLarge = [];
    private byte[] _bmp = [];
    private RgbImage _image = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jpeg = File.ReadAllBytes(BenchmarkData.Path("maix-emc-mbnetv1", "mbnetv1_dataset", "n01440764_1108.JPEG"));
        _jpegLarge = File.ReadAllBytes(BenchmarkData.Path("maix-emc-mbnetv1", "mbnetv1_dataset", "n01440764_1063.JPEG"));
        _bmp = File.ReadAllBytes(BenchmarkData.Path("kmodel-v3", "nncase-v0.1.0-rc5", "20classes_yolo", "dog.bmp"));
        _image = ImageDecoder.Decode(_jpeg).Value!;
    }

    [Benchmark(Description = "decode JPEG 500x375 baseline")]
    public RgbImage? DecodeJpeg() => ImageDecoder.Decode(_jpeg).Value;

    [Benchmark(Description = "decode JPEG 1600x1200 baseline")]
    public RgbImage? DecodeJpegLarge() => ImageDecoder.Decode(_jpegLarge).Value;

    [Benchmark(Description = "decode BMP 320x240 24-bit")]
    public RgbImage? DecodeBmp() => ImageDecoder.Decode(_bmp).Value;

    [Benchmark(Description = "500x375 -> 224x224 CHW float (nearest, x/127.5-1)")]
    public float[]? PreprocessNearest() => ImagePreprocessor.ToChwFloat(_image, 224, 224, ChannelAffine.ToRange(-1, 1)).Value;

    [Benchmark(Description = "500x375 -> 224x224 CHW uint8 (bilinear)")]
    public byte[]? PreprocessBilinear() => ImagePreprocessor.ToChwBytes(_image, 224, 224, method: ResizeMethod.Bilinear).Value;
}
