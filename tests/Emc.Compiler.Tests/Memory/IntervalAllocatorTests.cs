using Emc.Compiler.K210.Memory;

namespace Emc.Compiler.Tests.Memory;

[TestClass]
public sealed class IntervalAllocatorTests
{
    [TestMethod]
    public void ChainReusesMemory()
    {
        // a → b → c → d: each layer reads the previous buffer; only two are live at once.
        var requests = new[] { new BufferRequest(100, 0, 1), new BufferRequest(100, 1, 2), new BufferRequest(100, 2, 3), new BufferRequest(100, 3, 4) };
        var (offsets, extent) = IntervalAllocator.Place(requests);
        Assert.AreEqual(200, extent);
        Assert.AreNotEqual(offsets[0], offsets[1]);
        Assert.AreEqual(offsets[0], offsets[2]);
    }

    [TestMethod]
    public void RandomRequestsNeverOverlapWhileLive()
    {
        var random = new Random(1);
        for (int round = 0; round < 200; round++)
        {
            int n = random.Next(1, 30);
            var requests = Enumerable.Range(0, n).Select(_ =>
            {
                int a = random.Next(0, 20);
                return new BufferRequest(8 * random.Next(1, 50), a, a + random.Next(0, 6));
            }).ToArray();
            var (offsets, extent) = IntervalAllocator.Place(requests);
            long peak = 0;
            for (int layer = 0; layer < 26; layer++)
            {
                peak = Math.Max(peak, requests.Where(r => r.FirstLayer <= layer && layer <= r.LastLayer).Sum(r => r.Size));
            }

            Assert.IsTrue(extent >= peak);
            for (int i = 0; i < n; i++)
            {
                Assert.IsTrue(offsets[i] >= 0 && offsets[i] + requests[i].Size <= extent);
                for (int j = i + 1; j < n; j++)
                {
                    bool live = requests[i].FirstLayer <= requests[j].LastLayer && requests[j].FirstLayer <= requests[i].LastLayer;
                    bool overlap = offsets[i] < offsets[j] + requests[j].Size && offsets[j] < offsets[i] + requests[i].Size;
                    Assert.IsFalse(live && overlap, $"round {round}: {i} and {j} overlap");
                }
            }
        }
    }
}
