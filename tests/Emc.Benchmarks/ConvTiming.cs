using System.Diagnostics;
using System.Globalization;

namespace Emc.Benchmarks;

/// <summary>Timed CLI run (<c>-- conv-timing</c>): the fastest of 100 calls of each <see cref="Conv2DBenchmarks"/> layer,
/// a figure that stays meaningful when other processes load the machine.</summary>
public static class ConvTiming
{
    public static void Run()
    {
        foreach (var shape in Enum.GetValues<Conv2DBenchmarks.Layer>())
        {
            var benchmark = new Conv2DBenchmarks { Shape = shape };
            benchmark.Setup();
            for (int i = 0; i < 30; i++)
            {
                benchmark.Conv();
            }

            double best = double.MaxValue;
            for (int i = 0; i < 100; i++)
            {
                long start = Stopwatch.GetTimestamp();
                benchmark.Conv();
                best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{shape,-18} fastest {best,8:F1} µs"));
        }
    }
}
