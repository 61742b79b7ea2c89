using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Search;

/// <summary>
/// Full-text search across the caller's Accounts, Contacts, Leads and Opportunities, and its custom objects' records by
/// Name (when <paramref name="schemas"/> is given; migration 0031 indexes them).
/// </summary>
public sealed class SearchService(ISearchStore store, SchemaService? schemas = null)
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 200;

    public static readonly IReadOnlyList<ObjectMetadata> Searchable =
        [StandardObjects.Account, StandardObjects.Contact, StandardObjects.Lead, StandardObjects.Opportunity];

    public static readonly IReadOnlyList<string> SearchableNames = Searchable.Select(o => o.Name).ToArray();

    /// <summary>The tenant's custom objects, which search finds by Name.</summary>
    public async ValueTask<IReadOnlyList<ObjectMetadata>> CustomObjectsAsync(TenantId tenant, CancellationToken ct) =>
        schemas is null ? [] : (await schemas.GetAsync(tenant, ct)).CustomObjects;

    /// <param name="objects">Object names to search (any case); null or empty searches all four.</param>
    public async Task<CrmResult<SearchResult>> SearchAsync(Caller caller, string? text, IReadOnlyList<string>? objects, int limit, CancellationToken ct, int offset = 0)
    {
        var terms = SearchTerms.Parse(text);
        if (!terms.IsOk) return terms.Error;
        var scope = ParseObjects(objects, schemas is null ? TenantSchema.Standard : await schemas.GetAsync(caller.Tenant, ct));
        if (!scope.IsOk) return scope.Error;
        if (limit is < 1 or > MaxLimit)
            return new CrmError(ErrorCodes.InvalidArgument, $"limit must be between 1 and {MaxLimit}; {limit} was sent.", "limit");
        if (terms.Value.IsEmpty) return new SearchResult(0, [], Hint: new SearchHint([text!.Trim()], []));

        var found = await store.SearchAsync(caller.Tenant, terms.Value, scope.Value, limit, offset, ct);
        int? next = offset + found.Hits.Count < found.TotalSize ? offset + found.Hits.Count : null;
        var exact = found.Hits.Select(h => new SearchMatch(h, MatchedField(h, terms.Value))).ToArray();
        // Phone-like text is matched by digits; close spellings of a number are other people's numbers.
        if (offset > 0 || found.TotalSize >= limit || terms.Value.Digits is not null) return new SearchResult(found.TotalSize, exact, next);
        return await ForgiveAsync(caller, terms.Value, scope.Value, exact, limit, ct);
    }

    /// <summary>Trigram candidates the store may return for one search: enough to hold the few right ones, few enough to check in memory.</summary>
    const int Candidates = 100;

    /// <summary>
    /// The second pass, when fewer than a page matched every word as typed: records matching every
    /// word with typos follow the first pass's; when it found nothing, records matching only some
    /// words too; when nothing at all, a hint. One page, never more.
    /// </summary>
    async Task<CrmResult<SearchResult>> ForgiveAsync(Caller caller, SearchTerms terms, IReadOnlyList<ObjectMetadata> objects,
        IReadOnlyList<SearchMatch> exact, int limit, CancellationToken ct)
    {
        var probes = FuzzyWords.Probes(terms);
        var candidates = probes.Count == 0 ? [] : await store.CandidatesAsync(caller.Tenant, probes, objects, Candidates, ct);
        var skip = exact.Select(m => m.Hit.Id).ToHashSet(StringComparer.Ordinal);
        var forgiven = ForgivingSearch.Rank(terms, candidates, skip, limit - exact.Count, partial: exact.Count == 0);
        if (exact.Count + forgiven.Count > 0) return new SearchResult(exact.Count + forgiven.Count, [.. exact, .. forgiven]);
        return new SearchResult(0, [], Hint: ForgivingSearch.Hint(terms, candidates));
    }

    static CrmResult<IReadOnlyList<ObjectMetadata>> ParseObjects(IReadOnlyList<string>? names, TenantSchema schema)
    {
        if (names is null || names.Count == 0) return CrmResult<IReadOnlyList<ObjectMetadata>>.Ok([.. Searchable, .. schema.CustomObjects]);
        var chosen = new List<ObjectMetadata>();
        foreach (var name in names)
        {
            var obj = Searchable.FirstOrDefault(o => string.Equals(o.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? schema.CustomObjects.FirstOrDefault(o => string.Equals(o.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (obj is null)
            {
                var searchable = SearchableNames.Concat(schema.CustomObjects.Select(o => o.Name)).ToArray();
                string? guess = name is null ? null : Suggestions.Closest(name, searchable);
                string hint = guess is null ? "" : $" Did you mean '{guess}'?";
                return new CrmError(ErrorCodes.InvalidArgument,
                    $"objects: '{name}' cannot be searched.{hint} Send any of: {string.Join(", ", searchable)}, or leave objects out to search all of them.", "objects");
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
