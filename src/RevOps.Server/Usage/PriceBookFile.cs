using System.Text.Json;
using RevOps.Domain.Billing;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Usage;

/// <summary>
/// Reads a price book from JSON (--price-book FILE):
/// {"currency": "USD", "base_monthly": 49.00, "per_1000_requests": 0.10, "included_requests": 0,
///  "tiers": {"enterprise": {"base_monthly": 499, "per_1000_requests": 0.05}}}.
/// Every field is optional; a tier's missing fields come from the top level, whose missing fields
/// come from the built-in book ($49/month + $0.10 per 1,000 requests).
/// </summary>
public static class PriceBookFile
{
    public sealed record Outcome(PriceBook? Book, string? Problem);

    public static Outcome Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return new(PriceBook.Default, null);
        if (!File.Exists(path)) return new(null, $"the price book file '{path}' does not exist.");
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (IOException e)
        {
            return new(null, $"the price book file '{path}' cannot be read: {e.Message}");
        }
    }

    public static Outcome Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return new(null, $"{source} is not JSON: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new(null, $"{source} must hold a JSON object such as {{\"base_monthly\": 49, \"per_1000_requests\": 0.10}}.");
            string currency = root.TryGetProperty("currency", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : PriceBook.Default.Currency;
            var (standard, problem) = Tier(root, PriceBook.Default.Standard, source);
            if (problem is not null) return new(null, problem);
            var tiers = new Dictionary<string, TierPrice>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("tiers", out var tierObject))
            {
                if (tierObject.ValueKind != JsonValueKind.Object) return new(null, $"{source}: tiers must be an object of tier name to prices.");
                foreach (var tier in tierObject.EnumerateObject())
                {
                    if (!SubscriptionTiers.All.Contains(tier.Name.ToLowerInvariant()))
                        return new(null, $"{source}: tier '{tier.Name}' is not known; use {string.Join(", ", SubscriptionTiers.All)}.");
                    if (tier.Value.ValueKind != JsonValueKind.Object) return new(null, $"{source}: tiers.{tier.Name} must be an object of prices.");
                    var (price, tierProblem) = Tier(tier.Value, standard!, $"{source}: tiers.{tier.Name}");
                    if (tierProblem is not null) return new(null, tierProblem);
                    tiers[tier.Name.ToLowerInvariant()] = price!;
                }
            }
            return new(new PriceBook(currency, standard!, tiers), null);
        }
    }

    static (TierPrice? Price, string? Problem) Tier(JsonElement element, TierPrice fallback, string source)
    {
        decimal baseMonthly = fallback.BaseMonthly, perThousand = fallback.PerThousandRequests;
        long included = fallback.IncludedRequests;
        if (element.TryGetProperty("base_monthly", out var b) && !(b.TryGetDecimal(out baseMonthly) && baseMonthly >= 0))
            return (null, $"{source}: base_monthly must be a non-negative number, e.g. 49.00.");
        if (element.TryGetProperty("per_1000_requests", out var p) && !(p.TryGetDecimal(out perThousand) && perThousand >= 0))
            return (null, $"{source}: per_1000_requests must be a non-negative number, e.g. 0.10.");
        if (element.TryGetProperty("included_requests", out var i) && !(i.TryGetInt64(out included) && included >= 0))
            return (null, $"{source}: included_requests must be a non-negative whole number, e.g. 100000.");
        return (new TierPrice(baseMonthly, perThousand, included), null);
    }
}
