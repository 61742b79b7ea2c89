namespace RevOps.Domain.Billing;

/// <summary>
/// Prices per subscription tier: <see cref="Default"/> for every tier without its own entry in
/// <see cref="Tiers"/>. The built-in book is the seed's: $49 a month plus $0.10 per 1,000 requests.
/// </summary>
public sealed record PriceBook(string Currency, TierPrice Standard, IReadOnlyDictionary<string, TierPrice> Tiers)
{
    public static PriceBook Default { get; } = new("USD", new TierPrice(49.00m, 0.10m, 0), new Dictionary<string, TierPrice>());

    public TierPrice For(string tier) => Tiers.TryGetValue(tier, out var price) ? price : Standard;

    /// <summary>
    /// The invoice for <paramref name="requests"/> requests in <paramref name="from"/>..<paramref name="to"/>:
    /// the base fee once per calendar month the period touches, and the requests beyond those
    /// included (per month touched) at the per-1,000 price, pro rata.
    /// </summary>
    public Invoice Preview(string tier, DateOnly from, DateOnly to, long requests)
    {
        var price = For(tier);
        int months = (to.Year * 12 + to.Month) - (from.Year * 12 + from.Month) + 1;
        long included = price.IncludedRequests * months;
        long billable = Math.Max(0, requests - included);
        decimal thousands = billable / 1000m;
        var lines = new List<InvoiceLine>
        {
            new($"Base fee, {tier} tier", months, months == 1 ? "month" : "months", Money.Cents(price.BaseMonthly), Money.Cents(months * price.BaseMonthly)),
            new(included == 0 ? $"Requests ({requests:N0})" : $"Requests ({requests:N0}, of which {Math.Min(requests, included):N0} included)",
                thousands, "1,000 requests", price.PerThousandRequests, Money.Cents(thousands * price.PerThousandRequests)),
        };
        return new Invoice(Currency, tier, from, to, lines, Money.Cents(lines.Sum(l => l.Amount)));
    }
}
