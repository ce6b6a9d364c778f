using System.Diagnostics;
using Emc.Diagnostics;
using Emc.Kmodel.Simulation;
using Emc.Tests;

namespace Emc.Kmodel.Tests.Simulation;

/// <summary>
/// Issue 3 part 5: thousands of deterministic corruptions of real kmodels end in reader diagnostics (EMC03xx),
/// simulator diagnostics (EMC04xx) or a completed run — never an exception, a hang, an out-of-range access (which
/// would surface as an exception) or a huge allocation. Each case runs under a wall-clock bound and its allocation
/// on the running thread is measured. The large models run only every <c>runEvery</c>-th accepted case (a run of
/// them costs ~0.1 s), and every case is capped by <see cref="SimulatorOptions.MaxMultiplyAccumulates"/>.
/// </summary>
[TestClass]
[TestCategory(TestCategories.Fuzz)]
public sealed class SimulatorMutationTests
{
    private const long MaxAllocatedBytesPerCase = 256L << 20;
    private static readonly TimeSpan CaseTimeLimit = TimeSpan.FromSeconds(60); // generous: CI machines are shared

    [TestMethod]
    // 2,150 cases in all.
    [DataRow(KmodelCorpus.Iris, 500, 1)]
    [DataRow(KmodelCorpus.Cifar, 500, 1)]
    [DataRow(KmodelCorpus.Mnist, 500, 1)]
    [DataRow(KmodelCorpus.Rc5Yolo, 300, 30)]
    [DataRow(KmodelCorpus.MbnetV1, 350, 30)]
    public void MutatedModelsEndInDiagnosticsOrCompletedRuns(string relative, int cases, int runEvery)
    {
        byte[] original = KmodelCorpus.Bytes(relative);
        KmodelFile model = KmodelCorpus.Read(relative);
        var options = new SimulatorOptions { MaxMainMemory = 16L << 20, MaxMultiplyAccumulates = 1L << 31 };
        Assert.IsTrue(KmodelSimulator.Create(model, options).Succeeded, "the unmutated model must run within the test's limits");

        var mutator = new ModelMutator(original, model, new Random(relative.Length * 104_729));
        int readerRejected = 0, simulatorRejected = 0, ran = 0, accepted = 0;
        long maxAllocated = 0;
        var slowest = TimeSpan.Zero;
        for (int m = 0; m < cases; m++)
        {
            // Two thirds bypass the reader, so that the simulator's own checks see values the reader would refuse.
            bool viaFile = m % 3 == 0;
            string what = string.Empty;
            KmodelFile? candidate = null;
            byte[]? bytes = null;
            if (viaFile)
            {
                bytes = mutator.MutateBytes(out what);
            }
            else
            {
                candidate = mutator.MutateModel(out what);
            }

            var watch = Stopwatch.StartNew();
            var outcome = Task.Run(() => RunCase(relative, bytes, candidate, options, runEvery, ref accepted));
            Assert.IsTrue(outcome.Wait(CaseTimeLimit), $"case {m} ({what}) did not finish within {CaseTimeLimit.TotalSeconds} s");
            watch.Stop();
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;

            (CaseOutcome kind, long allocated, string? failure) = outcome.Result;
            Assert.IsNull(failure, $"case {m} ({what}): {failure}");
            Assert.IsTrue(allocated < MaxAllocatedBytesPerCase, $"case {m} ({what}) allocated {allocated} bytes");
            maxAllocated = Math.Max(maxAllocated, allocated);
            switch (kind)
            {
                case CaseOutcome.ReaderRejected:
                    readerRejected++;
                    break;
                case CaseOutcome.SimulatorRejected:
                    simulatorRejected++;
                    break;
                case CaseOutcome.Ran:
                    ran++;
                    break;
            }
        }

        string summary = $"{relative}: reader rejected {readerRejected}, simulator rejected {simulatorRejected}, accepted {accepted}, ran {ran}; "
                         + $"max allocation {maxAllocated / 1024} KiB, slowest case {slowest.TotalMilliseconds:F0} ms";
        Console.WriteLine(summary);

        // The mutations must reach every outcome, or the test proves less than it claims.
        Assert.IsTrue(readerRejected >= cases / 20, summary);
        Assert.IsTrue(simulatorRejected >= cases / 20, summary);
        Assert.IsTrue(ran >= Math.Min(10, cases / runEvery / 4), summary);
    }

    [TestMethod]
    public void EmptyRangesAtAddressesPastMainMemoryAreDiagnosedNotThrown()
    {
        // Found by the mutation test: a zero-channel FULLY_CONNECTED whose output address lies past the buffer passed
        // the range check (nothing to touch) and then threw when the host took a zero-length span at that address.
        KmodelFile model = KmodelCorpus.Read(KmodelCorpus.Iris);
        int fc = model.Layers.Count - 1;
        var body = (FullyConnectedBody)model.Layers[fc].Body;
        var layers = model.Layers.ToArray();
        layers[fc] = layers[fc] with { Body = body with { Out = model.Header.MainMemUsage + 4096, OutChannels = 0 } };
        var created = KmodelSimulator.Create(model with { Layers = layers });
        Assert.IsNull(created.Value);
        Assert.IsTrue(created.Diagnostics.Any(d => d.Code == SimulatorDiagnostics.MainMemoryRange.Code), string.Join("; ", created.Diagnostics));
    }

    private enum CaseOutcome
    {
        ReaderRejected,
        SimulatorRejected,
        Accepted,
        Ran,
    }

    private static (CaseOutcome Kind, long Allocated, string? Failure) RunCase(
        string relative, byte[]? bytes, KmodelFile? model, SimulatorOptions options, int runEvery, ref int accepted)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            if (bytes is not null)
            {
                Result<KmodelFile> read = KmodelReader.Read(bytes, relative);
                if (read.Value is null)
                {
                    string? bad = CheckErrors(read.Diagnostics, "EMC03");
                    return (CaseOutcome.ReaderRejected, Allocated(before), bad);
                }

                model = read.Value;
            }

            Result<KmodelSimulator> created = KmodelSimulator.Create(model!, options, relative);
            if (created.Value is not { } simulator)
            {
                return (CaseOutcome.SimulatorRejected, Allocated(before), CheckErrors(created.Diagnostics, "EMC04"));
            }

            if (accepted++ % runEvery != 0)
            {
                return (CaseOutcome.Accepted, Allocated(before), null);
            }

            byte[] input = new byte[simulator.InputBytes];
            for (int i = 0; i < input.Length; i++)
            {
                input[i] = (byte)((i * 37) ^ (i >> 7));
            }

            Result<SimulationResult> run = simulator.TryRun(input);
            string? failure = run.Value is null
                ? "a created simulator refused a correctly sized input: " + string.Join("; ", run.Diagnostics)
                : run.Value.Outputs.Count != model!.Outputs.Count ? "wrong number of outputs" : null;
            return (CaseOutcome.Ran, Allocated(before), failure);
        }
        catch (Exception ex)
        {
            return (CaseOutcome.Ran, Allocated(before), "threw " + ex);
        }
    }

    private static long Allocated(long before) => GC.GetAllocatedBytesForCurrentThread() - before;

    private static string? CheckErrors(IReadOnlyList<Diagnostic> diagnostics, string prefix)
    {
        var errors = diagnostics.Where(d => d.IsError).ToList();
        if (errors.Count == 0)
        {
            return "rejected without an error diagnostic";
        }

        var foreign = errors.Where(d => !d.Code.StartsWith(prefix, StringComparison.Ordinal) || d.Code == KmodelDiagnostics.InternalError.Code).ToList();
        return foreign.Count == 0 ? null : "unexpected diagnostics: " + string.Join("; ", foreign);
    }
}
