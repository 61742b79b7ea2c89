namespace RevOps.Domain.Forecasting;

/// <summary>
/// The spread of what open deals may bring: each deal is won with its probability, independently, and the won amounts
/// summed, many times over; the 10th, 50th and 90th percentiles of those sums. The seed is the caller's, so the same
/// question over the same data gets the same answer.
/// </summary>
public static class RevenueRange
{
    public const int Draws = 10_000;

    public static (double P10, double P50, double P90) Simulate(IReadOnlyList<(double Probability, double Amount)> deals, int seed, int draws = Draws)
    {
        if (deals.Count == 0) return (0, 0, 0);
        var random = new Random(seed);
        var sums = new double[draws];
        for (int i = 0; i < draws; i++)
        {
            double sum = 0;
            foreach (var (p, amount) in deals)
                if (random.NextDouble() < p) sum += amount;
            sums[i] = sum;
        }
        Array.Sort(sums);
        return (sums[(int)(draws * 0.1)], sums[draws / 2], sums[(int)(draws * 0.9)]);
    }

    /// <summary>A stable 32-bit hash (FNV-1a) of the question, for the seed; string.GetHashCode differs between processes.</summary>
    public static int Seed(string question)
    {
        uint hash = 2166136261;
        foreach (char c in question) { hash ^= c; hash *= 16777619; }
        return unchecked((int)hash);
    }
}
