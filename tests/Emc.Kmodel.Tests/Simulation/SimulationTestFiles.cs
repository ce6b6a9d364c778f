using Emc.Imaging;
using Emc.Kmodel.Simulation;
using Emc.Tests;

namespace Emc.Kmodel.Tests.Simulation;

/// <summary>Loads real kmodels and images from ../shared/testdata for simulator tests.</summary>
internal static class SimulationTestFiles
{
    public static KmodelFile Model(params string[] parts)
    {
        string path = parts.Length == 1 && System.IO.Path.IsPathRooted(parts[0]) ? parts[0] : TestData.Path(parts);
        var read = KmodelReader.Read(File.ReadAllBytes(path), path);
        Assert.IsNotNull(read.Value, string.Join("; ", read.Diagnostics));
        return read.Value;
    }

    public static KmodelSimulator Simulator(KmodelFile model, SimulatorOptions? options = null)
    {
        var created = KmodelSimulator.Create(model, options);
        Assert.IsNotNull(created.Value, string.Join("; ", created.Diagnostics));
        return created.Value;
    }

    /// <summary>An image as planar RGB (R plane, G plane, B plane), as the SDK examples' image.c holds it.</summary>
    public static byte[] PlanarRgb(params string[] parts)
    {
        var image = ImageDecoder.Load(TestData.Path(parts));
        Assert.IsNotNull(image.Value, string.Join("; ", image.Diagnostics));
        RgbImage img = image.Value;
        int plane = img.Width * img.Height;
        byte[] planar = new byte[plane * 3];
        for (int i = 0; i < plane; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                planar[(c * plane) + i] = img.Pixels[(i * 3) + c];
            }
        }

        return planar;
    }

    public static float[] Floats(SimulationResult result)
    {
        float[]? values = result.Outputs[0].AsFloat32();
        Assert.IsNotNull(values);
        return values;
    }
}
