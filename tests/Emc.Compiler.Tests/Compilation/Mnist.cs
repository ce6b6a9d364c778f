using Emc.Tests;
using System.IO.Compression;
using System.Text;

namespace Emc.Compiler.Tests.Compilation;

/// <summary>Reads the MNIST t10k IDX files (gzip) of ../shared/testdata and writes samples as .npy.</summary>
internal static class Mnist
{
    public static (byte[][] Images, byte[] Labels) Load(int count)
    {
        byte[] images = Gunzip(TestData.Path("real-onnx", "mnist-t10k", "t10k-images-idx3-ubyte.gz"));
        byte[] labels = Gunzip(TestData.Path("real-onnx", "mnist-t10k", "t10k-labels-idx1-ubyte.gz"));
        var result = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            result[i] = images.AsSpan(16 + (i * 784), 784).ToArray();
        }

        return (result, labels.AsSpan(8, count).ToArray());
    }

    /// <summary>Writes float32 [1,1,28,28] .npy files with x = pixel·scale + offset into a fresh temp folder.</summary>
    public static string WriteNpy(byte[][] images, float scale, float offset)
    {
        string dir = Path.Combine(Path.GetTempPath(), "emc-mnist-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        for (int i = 0; i < images.Length; i++)
        {
            string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 28, 28), }";
            header = header.PadRight(118) + "\n";
            using var stream = File.Create(Path.Combine(dir, $"{i:D4}.npy"));
            stream.Write([0x93, .. Encoding.ASCII.GetBytes("NUMPY"), 1, 0, (byte)header.Length, 0]);
            stream.Write(Encoding.ASCII.GetBytes(header));
            foreach (byte p in images[i])
            {
                stream.Write(BitConverter.GetBytes((p * scale) + offset));
            }
        }

        return dir;
    }

    private static byte[] Gunzip(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
