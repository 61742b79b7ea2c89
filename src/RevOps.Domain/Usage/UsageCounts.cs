namespace RevOps.Domain.Usage;

/// <summary>Calls, total latency and a latency histogram (bucket upper bounds in <see cref="LatencyBuckets"/>).</summary>
public sealed record UsageCounts(long Calls, double TotalMilliseconds, long[] Buckets);

public static class LatencyBuckets
{
    /// <summary>Upper bounds in milliseconds; the last bucket holds everything slower.</summary>
    public static readonly double[] UpperBoundsMs =
        [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, double.PositiveInfinity];

    /// <summary>The slowest figure a percentile reports: calls slower than this are counted in it.</summary>
    public static double Slowest => UpperBoundsMs[^2];

    /// <summary>
    /// The upper bound of the bucket holding the call at rank ceil(q × calls), so "p95 = 25" reads
    /// "95 % of calls took at most 25 ms"; the overflow bucket reports <see cref="Slowest"/>. Null without calls.
    /// </summary>
    public static double? Percentile(IReadOnlyList<long> buckets, double q)
    {
        long total = buckets.Sum();
        if (total == 0) return null;
        long rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (int i = 0; i < buckets.Count; i++)
        {
            seen += buckets[i];
            if (seen >= rank) return Math.Min(UpperBoundsMs[Math.Min(i, UpperBoundsMs.Length - 1)], Slowest);
        }
        return Slowest;
    }

    public static int IndexOf(double milliseconds)
    {
        for (int i = 0; i < UpperBoundsMs.Length - 1; i++)
            if (milliseconds <= UpperBoundsMs[i]) return i;
        return UpperBoundsMs.Length - 1;
    }
}
