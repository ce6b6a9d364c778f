// Runs each compiled model on the bit-exact K210 simulator with a synthetic 16×16 RGB image, as the device would
// receive it (uint8, planar CHW), and prints the class probabilities. The classes come from the generated wrappers
// (obj/.../emc/*.g.cs), produced by the <EmcModel> items in ConsoleApp.csproj.
#if !NO_MODELS
using EmcSample;

byte[] image = new byte[Shapes.Input0ElementCount];
for (int c = 0; c < 3; c++)
{
    for (int y = 0; y < 16; y++)
    {
        for (int x = 0; x < 16; x++)
        {
            image[(c * 256) + (y * 16) + x] = (byte)((x * 16) + (c * 40) + y);
        }
    }
}

Print("shapes", Shapes.Sha256, Shapes.KmodelLength, Shapes.Run(image));
Print("colors", Colors.Sha256, Colors.KmodelLength, Colors.Run(image));
Print("textures", TextureModel.Sha256, TextureModel.KmodelLength, TextureModel.Run(image));

static void Print(string name, string sha, int length, float[] probabilities)
{
    int best = Array.IndexOf(probabilities, probabilities.Max());
    Console.WriteLine($"{name,-9} kmodel {length,6} B sha256 {sha[..12]}…  class {best}  p = [{string.Join(", ", probabilities.Select(p => p.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))}]");
}
#else
Console.WriteLine("built without models (benchmark baseline)");
#endif
