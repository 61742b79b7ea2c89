using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Search.Semantic;

/// <summary>
/// search_crm's modes over one page: keyword (<see cref="SearchService"/>), semantic (the tenant's vectors,
/// exact top-k) and hybrid (both fused by <see cref="ReciprocalRankFusion"/>). Structured filters narrow
/// both sides through the index entries. With no embedder (semantic search off) auto is keyword.
/// </summary>
public sealed class RankedSearch(SearchService keyword, IRecordStore records, ITextEmbedder? embedder = null, VectorCache? cache = null)
{
    /// <summary>Objects the semantic side searches besides search_crm's four.</summary>
    public static readonly IReadOnlyList<string> ObjectNames = EmbeddingText.Indexed.Select(o => o.Name).ToArray();

    /// <summary>Candidates each side contributes to the fusion.</summary>
    const int Candidates = 50;
    /// <summary>Close spellings count for less than every word matched.</summary>
    const double FuzzyWeight = 0.5;
    /// <summary>
    /// Some words matched count for least: a sentence's common words ("people", "companies") match records that are
    /// not about it, and at 0.5 such a match outranked the best meaning match (bench/results/2026-12-06-semantic.md).
    /// </summary>
    const double PartialWeight = 0.25;

    /// <summary>The keyword search under the ranked modes, for callers that page through keyword answers.</summary>
    public SearchService Keyword => keyword;

    public bool SemanticAvailable => embedder is not null && cache is not null;

    public async Task<CrmResult<RankedResult>> SearchAsync(Caller caller, string? text, IReadOnlyList<string>? objects, int limit, SearchMode mode,
        SemanticFilters filters, CancellationToken ct)
    {
        if (limit is < 1 or > SearchService.MaxLimit)
            return new CrmError(ErrorCodes.InvalidArgument, $"limit must be between 1 and {SearchService.MaxLimit}; {limit} was sent.", "limit");
        var scope = ParseObjects(objects, await keyword.CustomObjectsAsync(caller.Tenant, ct));
        if (!scope.IsOk) return scope.Error;
        if (string.IsNullOrWhiteSpace(text)) return new CrmError(ErrorCodes.InvalidArgument, "text is empty: send the words or the meaning to search for.", "text");
        if (mode == SearchMode.Semantic && !SemanticAvailable)
            return new CrmError(ErrorCodes.InvalidArgument, "Semantic search is off on this server (started with --semantic off). Send mode: keyword or auto.", "mode");

        var keywordObjects = scope.Value.Where(o => o.IsCustom || SearchService.SearchableNames.Contains(o.Name)).Select(o => o.Name).ToArray();
        bool lookup = text.Contains('@') || text.Count(char.IsDigit) >= 5; // an email or phone number: words, not meaning
        if (mode == SearchMode.Keyword || !SemanticAvailable || (mode == SearchMode.Auto && lookup))
            return await KeywordOnlyAsync(caller, text, keywordObjects, limit, filters, null, ct);

        var queryVector = embedder!.EmbedQuery(text, ct);
        var names = scope.Value.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var found = await cache!.UseAsync(caller.Tenant, v => new Found(v.Top(queryVector, Math.Max(Candidates, limit), e => names.Contains(e.Object) && filters.Admits(e)), v), ct);
        if (found is null)
        {
            const string building = "The semantic index of this tenant is still being built; these are keyword results.";
            if (mode == SearchMode.Semantic)
                return new CrmError(ErrorCodes.InvalidArgument, building[..^28] + ". Try again in a minute, or send mode: keyword.", "mode");
            return await KeywordOnlyAsync(caller, text, keywordObjects, limit, filters, building, ct);
        }
        if (mode == SearchMode.Semantic)
            return new RankedResult("semantic", await MatchesAsync(caller.Tenant, found.Top.Take(limit).Select(s => (s.Entry, (SearchMatch?)null, (float?)s.Similarity, (double)s.Similarity)), ct));

        var semantic = found.Top;
        var (words, hint) = keywordObjects.Length == 0 ? (Array.Empty<SearchMatch>(), null) : await KeywordAsync(caller, text, keywordObjects, filters, found.Vectors, ct);
        if (words.Count == 0 && (semantic.Count == 0 || LooksLikeAName(text)))
            return new RankedResult("hybrid", [], hint ?? new SearchHint([text.Trim()], []),
                "Nothing matched this name. Mode semantic lists the records nearest in meaning anyway, with their similarity.");
        var exact = words.Where(m => m.Match is null).Select(m => m.Hit.Id).ToList();
        var fuzzy = words.Where(m => m.Match is not null and not "partial").Select(m => m.Hit.Id).ToList();
        var partial = words.Where(m => m.Match == "partial").Select(m => m.Hit.Id).ToList();
        var scores = ReciprocalRankFusion.Fuse((exact, 1.0), (fuzzy, FuzzyWeight), (partial, PartialWeight), (semantic.Select(s => s.Entry.Id).ToList(), 1.0));
        var byWords = words.ToDictionary(m => m.Hit.Id, StringComparer.Ordinal);
        var byMeaning = semantic.ToDictionary(s => s.Entry.Id, StringComparer.Ordinal);
        // On a tie the record whose words matched comes first: literal evidence beats a nearest neighbour, and a record
        // written a moment ago is found by its words before the background indexer has embedded it.
        var ranked = scores.OrderByDescending(s => s.Value).ThenBy(s => byWords.ContainsKey(s.Key) ? 0 : 1).ThenBy(s => s.Key, StringComparer.Ordinal).Take(limit).ToList();
        var page = new List<RankedMatch>(ranked.Count);
        var needRecords = new List<(RecordVector, SearchMatch?, float?, double)>();
        foreach (var (id, score) in ranked)
        {
            float? similarity = byMeaning.TryGetValue(id, out var s) ? s.Similarity : null;
            if (byWords.TryGetValue(id, out var m)) page.Add(new RankedMatch(m.Hit, m.MatchedField, m.Match, similarity, score));
            else needRecords.Add((s.Entry, null, similarity, score));
        }
        page.AddRange(await MatchesAsync(caller.Tenant, needRecords, ct));
        return new RankedResult("hybrid", [.. page.OrderByDescending(p => p.Score).ThenBy(p => byWords.ContainsKey(p.Hit.Id) ? 0 : 1).ThenBy(p => p.Hit.Id, StringComparer.Ordinal)]);
    }

    /// <summary>
    /// "Acme Corp", "Jonh Smiht", "O'Brien &amp; Sons": one to four words, each capitalised or a number, not only acronyms. Someone who
    /// types a name wants that record; when no word of it matched, the nearest records by meaning are other
    /// companies or people, and an agent about to create the record must see that none exists: auto answers nothing,
    /// with the keyword hint (mode semantic still gives the neighbours). A similarity floor cannot tell the two apart
    /// with arctic-embed, whose similarities are compressed: relevant hits score from below 0.50 (an agent task's
    /// answer) to 0.8, unrelated questions 0.47 to 0.57 (bench/results/2026-12-06-semantic-floor.md).
    /// </summary>
    internal static bool LooksLikeAName(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length is >= 1 and <= 4 && words.All(w => char.IsUpper(w[0]) || char.IsDigit(w[0]) || w is "&" or "-")
            && !words.All(Acronym);
    }

    /// <summary>"SAP", "ERP": more often a product or a topic in a deal's description than a record's name.</summary>
    static bool Acronym(string word) => word.Length >= 2 && word.All(c => char.IsUpper(c) || char.IsDigit(c));

    sealed record Found(IReadOnlyList<(RecordVector Entry, float Similarity)> Top, TenantVectors Vectors);

    async Task<CrmResult<RankedResult>> KeywordOnlyAsync(Caller caller, string text, string[] objects, int limit, SemanticFilters filters, string? note, CancellationToken ct)
    {
        if (objects.Length == 0) return new RankedResult("keyword", [], Note: note ?? "Tasks and Events are searched by meaning only: send mode semantic or auto.");
        if (filters.IsEmpty || !SemanticAvailable)
        {
            if (!filters.IsEmpty)
                return new CrmError(ErrorCodes.InvalidArgument, "Filters (ownerId, industry, stage, created dates) need semantic search, which is off on this server; send the text alone or use soql_query.", "mode");
            var found = await keyword.SearchAsync(caller, text, objects, limit, ct);
            if (!found.IsOk) return found.Error;
            int rank = 0;
            return new RankedResult("keyword", found.Value.Records.Select(m => new RankedMatch(m.Hit, m.MatchedField, m.Match, null, 1.0 / (ReciprocalRankFusion.K + ++rank))).ToArray(),
                found.Value.Hint, note);
        }
        var filtered = await cache!.UseAsync(caller.Tenant, v => v, ct);
        var (words, _) = await KeywordAsync(caller, text, objects, filters, filtered, ct);
        int r = 0;
        return new RankedResult("keyword", words.Take(limit).Select(m => new RankedMatch(m.Hit, m.MatchedField, m.Match, null, 1.0 / (ReciprocalRankFusion.K + ++r))).ToArray(), null, note);
    }

    /// <summary>
    /// Keyword matches, narrowed by the filters through the records' index entries (a record not yet indexed fails a
    /// filter), and the keyword search's hint when no word matched.
    /// </summary>
    async Task<(IReadOnlyList<SearchMatch> Matches, SearchHint? Hint)> KeywordAsync(Caller caller, string text, string[] objects, SemanticFilters filters, TenantVectors? vectors, CancellationToken ct)
    {
        var found = await keyword.SearchAsync(caller, text, objects, filters.IsEmpty ? Candidates : SearchService.MaxLimit, ct);
        if (!found.IsOk) return ([], null);
        if (filters.IsEmpty) return (found.Value.Records, found.Value.Hint);
        return (found.Value.Records.Where(m => vectors?.Find(m.Hit.Id) is { } entry && filters.Admits(entry)).ToList(), found.Value.Hint);
    }

    /// <summary>Search hits for records found by meaning alone, read from the records so they show the same fields keyword hits do.</summary>
    async Task<IReadOnlyList<RankedMatch>> MatchesAsync(TenantId tenant, IEnumerable<(RecordVector Entry, SearchMatch? Words, float? Similarity, double Score)> found, CancellationToken ct)
    {
        var matches = new List<RankedMatch>();
        IReadOnlyList<ObjectMetadata>? custom = null;
        foreach (var (entry, _, similarity, score) in found)
        {
            // A custom object's name and key prefix are the tenant's own: it is found in the tenant's schema, never another's.
            var obj = StandardObjects.TryGet(entry.Object, out var standard) ? standard
                : (custom ??= await keyword.CustomObjectsAsync(tenant, ct)).FirstOrDefault(o => o.Name == entry.Object);
            if (obj is null) continue;
            var record = await records.GetAsync(tenant, obj, entry.Id, ct);
            if (record is null || record.IsDeleted) continue; // deleted after the index last saw it
            string? company = null;
            if (EmbeddingText.AccountId(record) is { } accountId)
                company = (await records.GetAsync(tenant, StandardObjects.Account, accountId, ct))?["Name"] as string;
            matches.Add(new RankedMatch(Hit(record, company), null, null, similarity, score));
        }
        return matches;
    }

    static SearchHit Hit(Record r, string? accountName)
    {
        string? S(string field) => r.Object.TryGetField(field, out _) ? r[field] as string : null;
        string? name = r.DisplayName ?? string.Join(' ', new[] { S("FirstName"), S("LastName") }.Where(s => s is not null));
        string? city = S("BillingCity") ?? S("MailingCity") ?? S("City");
        return new SearchHit(r.Object.Name, r.Id, name, S("Email"), S("Phone"), S("MobilePhone"), S("Company") ?? accountName, S("Title"), S("Website"), city,
            S("StageName"), r.Object.TryGetField("Amount", out _) ? r["Amount"] as double? : null);
    }

    /// <summary>The objects named (the semantic index's and the tenant's custom objects, found by Name), or all of them.</summary>
    static CrmResult<IReadOnlyList<ObjectMetadata>> ParseObjects(IReadOnlyList<string>? names, IReadOnlyList<ObjectMetadata> custom)
    {
        IReadOnlyList<ObjectMetadata> all = [.. EmbeddingText.Indexed, .. custom];
        if (names is null || names.Count == 0) return CrmResult<IReadOnlyList<ObjectMetadata>>.Ok(all);
        var chosen = new List<ObjectMetadata>();
        foreach (var name in names)
        {
            var obj = all.FirstOrDefault(o => string.Equals(o.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
            if (obj is null)
            {
                var allNames = all.Select(o => o.Name).ToArray();
                string? guess = name is null ? null : Suggestions.Closest(name, allNames);
                return new CrmError(ErrorCodes.InvalidArgument,
                    $"objects: '{name}' cannot be searched.{(guess is null ? "" : $" Did you mean '{guess}'?")} Send any of: {string.Join(", ", allNames)}, or leave objects out.", "objects");
            }
            if (!chosen.Contains(obj)) chosen.Add(obj);
        }
        return chosen;
    }
}
