using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Rules;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Search;

/// <summary>Full-text search across the caller's Accounts, Contacts, Leads and Opportunities.</summary>
public sealed class SearchService(ISearchStore store)
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 200;

    public static readonly IReadOnlyList<ObjectMetadata> Searchable =
        [StandardObjects.Account, StandardObjects.Contact, StandardObjects.Lead, StandardObjects.Opportunity];

    public static readonly IReadOnlyList<string> SearchableNames = Searchable.Select(o => o.Name).ToArray();

    /// <param name="objects">Object names to search (any case); null or empty searches all four.</param>
    public async Task<CrmResult<SearchResult>> SearchAsync(Caller caller, string? text, IReadOnlyList<string>? objects, int limit, CancellationToken ct, int offset = 0)
    {
        var terms = SearchTerms.Parse(text);
        if (!terms.IsOk) return terms.Error;
        var scope = ParseObjects(objects);
        if (!scope.IsOk) return scope.Error;
        if (limit is < 1 or > MaxLimit)
            return new CrmError(ErrorCodes.InvalidArgument, $"limit must be between 1 and {MaxLimit}; {limit} was sent.", "limit");
        if (terms.Value.IsEmpty) return new SearchResult(0, []);

        var found = await store.SearchAsync(caller.Tenant, terms.Value, scope.Value, limit, offset, ct);
        int? next = offset + found.Hits.Count < found.TotalSize ? offset + found.Hits.Count : null;
        return new SearchResult(found.TotalSize, found.Hits.Select(h => new SearchMatch(h, MatchedField(h, terms.Value))).ToArray(), next);
    }

    static CrmResult<IReadOnlyList<ObjectMetadata>> ParseObjects(IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0) return CrmResult<IReadOnlyList<ObjectMetadata>>.Ok(Searchable);
        var chosen = new List<ObjectMetadata>();
        foreach (var name in names)
        {
            var obj = Searchable.FirstOrDefault(o => string.Equals(o.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (obj is null)
            {
                string? guess = name is null ? null : Suggestions.Closest(name, SearchableNames);
                string hint = guess is null ? "" : $" Did you mean '{guess}'?";
                return new CrmError(ErrorCodes.InvalidArgument,
                    $"objects: '{name}' cannot be searched.{hint} Send any of: {string.Join(", ", SearchableNames)}, or leave objects out to search all of them.", "objects");
            }
            if (!chosen.Contains(obj)) chosen.Add(obj);
        }
        return chosen;
    }

    /// <summary>
    /// The field holding the most of the words, the earliest in this order on a tie: names first,
    /// then email, phones, company, title, website, city. Phone-like text matches a phone by digits.
    /// </summary>
    public static string MatchedField(SearchHit hit, SearchTerms terms)
    {
        if (terms.DigitsIn(hit.Phone)) return "Phone";
        if (terms.DigitsIn(hit.MobilePhone)) return "MobilePhone";
        (string Field, string? Value)[] fields =
        [
            ("Name", hit.Name), ("Email", hit.Email), ("Phone", hit.Phone), ("MobilePhone", hit.MobilePhone),
            (hit.Object == "Lead" ? "Company" : "Account.Name", hit.Company), ("Title", hit.Title), ("Website", hit.Website),
            (hit.Object switch { "Account" => "BillingCity", "Contact" => "MailingCity", _ => "City" }, hit.City),
        ];
        string best = "Name";
        int bestCount = 0;
        foreach (var (field, value) in fields)
        {
            int count = terms.WordsIn(value);
            if (count > bestCount)
            {
                best = field;
                bestCount = count;
            }
        }
        return best;
    }
}
