using System.Globalization;

namespace RevOps.Server.Limits;

/// <summary>What a subscription tier may do: a sustained rate with a burst on top, and a daily allowance.</summary>
public sealed record TierLimit(int PerSecond, int Burst, long Daily);

/// <summary>
/// The limit table by subscription tier. Operators override rates with
/// `--rate-limits free=10/20,professional=100/200` (requests per second / burst).
/// </summary>
public sealed record TierLimits(IReadOnlyDictionary<string, TierLimit> ByTier)
{
    public static TierLimits Default { get; } = new(new Dictionary<string, TierLimit>(StringComparer.OrdinalIgnoreCase)
    {
        ["free"] = new(10, 20, 15_000),
        ["professional"] = new(100, 200, 100_000),
        ["enterprise"] = new(1000, 2000, 1_000_000),
    });

    /// <summary>An unknown tier gets the free tier's limits, never none.</summary>
    public TierLimit For(string? tier) => tier is not null && ByTier.TryGetValue(tier, out var limit) ? limit : ByTier["free"];

    /// <summary>The default table with the listed tiers' rates replaced, or why the text is wrong.</summary>
    public static (TierLimits? Limits, string? Problem) Parse(string? text)
    {
        var table = new Dictionary<string, TierLimit>(Default.ByTier, StringComparer.OrdinalIgnoreCase);
        foreach (string entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            var rates = parts.Length == 2 ? parts[1].Split('/', StringSplitOptions.TrimEntries) : [];
            if (parts.Length != 2 || !table.TryGetValue(parts[0], out var current) || rates.Length is < 1 or > 2
                || !int.TryParse(rates[0], NumberStyles.None, CultureInfo.InvariantCulture, out int perSecond) || perSecond < 1
                || (rates.Length == 2 && (!int.TryParse(rates[1], NumberStyles.None, CultureInfo.InvariantCulture, out int b) || b < perSecond)))
                return (null, $"--rate-limits entry '{entry}' is not tier=perSecond[/burst] with a tier of {string.Join(", ", Default.ByTier.Keys)} and burst ≥ rate, e.g. professional=100/200.");
            int burst = rates.Length == 2 ? int.Parse(rates[1], CultureInfo.InvariantCulture) : perSecond * 2;
            table[parts[0]] = current with { PerSecond = perSecond, Burst = burst };
        }
        return (new TierLimits(table), null);
    }
}
