using System.Buffers.Binary;
using Emc.Diagnostics;
using Emc.Tests;

namespace Emc.Kmodel.Tests;

/// <summary>
/// Thousands of deterministic corruptions of real files: the reader must return (a model or diagnostics),
/// never throw, never hit its internal-error path, and tag every failure with an EMC03xx code.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Fuzz)]
public sealed class MutationRobustnessTests
{
    [TestMethod]
    // 2,200 mutations in all; fewer on the two multi-megabyte files, whose copies dominate the run time.
    [DataRow(KmodelCorpus.Iris, 600)]
    [DataRow(KmodelCorpus.Cifar, 600)]
    [DataRow(KmodelCorpus.Mnist, 600)]
    [DataRow(KmodelCorpus.Rc5Yolo, 200)]
    [DataRow(KmodelCorpus.MbnetV1, 200)]
    public void MutatedFilesNeverThrow(string relative, int mutations)
    {
        byte[] original = KmodelCorpus.Bytes(relative);
        var model = KmodelCorpus.Read(relative);
        int[] hotOffsets = HotOffsets(model);
        var random = new Random(relative.Length * 7919);
        int failures = 0;
        for (int m = 0; m < mutations; m++)
        {
            byte[] mutated = Mutate(original, hotOffsets, random, out string what);
            Result<KmodelFile> result;
            try
            {
                result = KmodelReader.Read(mutated, relative);
            }
            catch (Exception ex)
            {
                Assert.Fail($"mutation {m} ({what}) threw {ex}");
                return;
            }

            Assert.IsFalse(
                result.Diagnostics.Any(d => d.Code == KmodelDiagnostics.InternalError.Code),
                $"mutation {m} ({what}) hit an internal error: {string.Join("; ", result.Diagnostics)}");
            if (!result.Succeeded)
            {
                failures++;
                var errors = result.Diagnostics.Where(d => d.IsError).ToList();
                Assert.IsTrue(errors.Count > 0, $"mutation {m} ({what}) failed without an error diagnostic");
                Assert.IsTrue(errors.All(d => d.Code.StartsWith("EMC03", StringComparison.Ordinal)), $"mutation {m} ({what}): {string.Join("; ", errors)}");
            }
        }

        // The targeted mutations must actually be caught most of the time, or the test proves nothing.
        Assert.IsTrue(failures > mutations / 4, $"only {failures} of {mutations} mutations were rejected");
    }

    /// <summary>Header fields, table entries and each conv's argument block (offsets) — where corruption bites.</summary>
    private static int[] HotOffsets(KmodelFile model)
    {
        var offsets = new List<int>();
        for (int o = 0; o < model.BodyStart; o += 4)
        {
            offsets.Add(o);
        }

        for (int i = 0; i < model.Layers.Count; i++)
        {
            int start = (int)model.BodyOffset(i);
            for (int f = 0; f < 6 && start + (4 * f) < model.DeclaredLength - 4; f++)
            {
                offsets.Add(start + (4 * f));
            }

            if (model.Layers[i].Body is K210ConvBody conv)
            {
                for (int w = 0; w < 24; w++)
                {
                    offsets.Add(start + (int)conv.Layout.RegistersOffset + (4 * w));
                }
            }
        }

        return [.. offsets];
    }

    private static byte[] Mutate(byte[] original, int[] hot, Random random, out string what)
    {
        switch (random.Next(6))
        {
            case 0:
                return ByteMutations.Truncate(original, random, out what);

            case 1:
                return ByteMutations.FlipBits(original, random, out what);

            default:
            {
                byte[] copy = (byte[])original.Clone();
                int at = hot[random.Next(hot.Length)];
                if (at + 4 > copy.Length)
                {
                    at = copy.Length - 4;
                }

                uint old = BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(at));
                uint value = random.Next(5) switch
                {
                    0 => uint.MaxValue - (uint)random.Next(16),
                    1 => old + (uint)random.Next(1, 4096),
                    2 => old * (uint)random.Next(2, 1000),
                    3 => (uint)random.Next(),
                    _ => old ^ (1u << random.Next(32)),
                };
                BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), value);
                what = $"u32 at {at}: {old} → {value}";
                return copy;
            }
        }
    }
}
