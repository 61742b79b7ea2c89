namespace RevOps.Domain.Usage;

/// <summary>Calls, total latency and a latency histogram (bucket upper bounds in <see cref="LatencyBuckets"/>).</summary>
public sealed record UsageCounts(long Calls, double TotalMilliseconds, long[] Buckets);

public static class LatencyBuckets
{
    /// <summary>Upper bounds in milliseconds; the last bucket holds everything slower.</summary>
    public static readonly double[] UpperBoundsMs =
        [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, double.PositiveInfinity];

    public static int IndexOf(double milliseconds)
    {
        for (int i = 0; i < UpperBoundsMs.Length - 1; i++)
            if (milliseconds <= UpperBoundsMs[i]) return i;
        return UpperBoundsMs.Length - 1;
    }
}
