using RevOps.Domain.Rules;

namespace RevOps.Domain.Search;

/// <summary>
/// The second pass of a search, for when not every word matched: the store's trigram candidates
/// are checked word by word here, once for every store. A word matches a field as typed (each
/// token a word prefix, as the first pass) or, in a name, email or company, with the typos
/// <see cref="FuzzyWords.AllowedEdits"/> allows. A candidate counts only when an uncommon word
/// matched, so "Corporation" alone never pulls in every company.
/// </summary>
public static class ForgivingSearch
{
    enum Found { None, Fuzzy, Exact }

    /// <summary>How well a name must be spelt like a word to be suggested: 1 - edits / length.</summary>
    const double SuggestSimilarity = 0.5;

    const int MaxSuggestions = 3;

    /// <summary>
    /// The candidates that match, best first: more words matched, then fewer typos, then found in
    /// the name before other fields. Hits in <paramref name="skip"/> (the first pass's) are left out;
    /// unless <paramref name="partial"/>, so are candidates that miss a word.
    /// </summary>
    public static IReadOnlyList<SearchMatch> Rank(SearchTerms terms, IEnumerable<SearchHit> candidates, IReadOnlySet<string> skip, int max, bool partial)
    {
        var scored = new List<(SearchMatch Match, int Words, int Typos, int FieldRank)>();
        foreach (var hit in candidates)
        {
            if (skip.Contains(hit.Id)) continue;
            var fields = Fields(hit);
            int words = 0, typos = 0, uncommon = 0;
            var perField = new int[fields.Length];
            for (int w = 0; w < terms.Words.Count; w++)
            {
                var (found, field) = Find(terms.Words[w], terms.Typed[w], fields);
                if (found == Found.None) continue;
                words++;
                perField[field]++;
                if (found == Found.Fuzzy) typos++;
                if (!IsCommon(terms.Words[w])) uncommon++;
            }
            if (uncommon == 0 || !partial && words < terms.Words.Count) continue;
            int best = Array.IndexOf(perField, perField.Max());
            string match = typos > 0 ? SearchMatch.Fuzzy : SearchMatch.Partial;
            scored.Add((new SearchMatch(hit, fields[best].Name, match), words, typos, best));
        }
        return scored
            .OrderByDescending(s => s.Words).ThenBy(s => s.Typos).ThenBy(s => s.FieldRank)
            .ThenBy(s => s.Match.Hit.Name, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Match.Hit.Id, StringComparer.Ordinal)
            .Take(max).Select(s => s.Match).ToArray();
    }

    /// <summary>
    /// For a search that found nothing: its uncommon words (all of them when every word is common)
    /// and the candidates' names spelt closest to them.
    /// </summary>
    public static SearchHint Hint(SearchTerms terms, IEnumerable<SearchHit> candidates)
    {
        var uncommon = Enumerable.Range(0, terms.Words.Count).Where(w => !IsCommon(terms.Words[w])).ToArray();
        var unmatched = (uncommon.Length > 0 ? uncommon : Enumerable.Range(0, terms.Words.Count)).Select(w => terms.Typed[w]).ToArray();
        var tokens = uncommon.SelectMany(w => terms.Words[w]).Where(t => t.Length >= FuzzyWords.MinProbeLength).Distinct().ToArray();
        var names = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var hit in candidates)
            foreach (var name in new[] { hit.Name, hit.Company })
            {
                if (string.IsNullOrWhiteSpace(name) || names.ContainsKey(name)) continue;
                double similarity = Similarity(tokens, SearchTerms.Tokenize(name));
                if (similarity >= SuggestSimilarity) names[name] = similarity;
            }
        var closest = names.OrderByDescending(n => n.Value).ThenBy(n => n.Key.Length).ThenBy(n => n.Key, StringComparer.Ordinal)
            .Take(MaxSuggestions).Select(n => n.Key).ToArray();
        return new SearchHint(unmatched, closest);
    }

    static bool IsCommon(IReadOnlyList<string> word) => word.All(FuzzyWords.IsCommon);

    /// <summary>The best of 1 - edits / length over every pair of a typed token and a token of the name.</summary>
    static double Similarity(IReadOnlyList<string> typed, IReadOnlyList<string> name)
    {
        double best = 0;
        foreach (var t in typed)
            foreach (var n in name)
            {
                int length = Math.Max(t.Length, n.Length);
                int atMost = length / 2;
                int edits = Suggestions.EditDistance(t, n, atMost);
                if (edits <= atMost) best = Math.Max(best, 1 - (double)edits / length);
            }
        return best;
    }

    sealed record Field(string Name, string? Value, IReadOnlyList<string> Tokens, bool Forgives);

    /// <summary>The hit's fields in the order a match is credited to them; typos are forgiven in names, emails and companies.</summary>
    static Field[] Fields(SearchHit hit)
    {
        Field Of(string name, string? value, bool forgives) => new(name, value, value is null ? [] : SearchTerms.Tokenize(value), forgives);
        return
        [
            Of("Name", hit.Name, true), Of("Email", hit.Email, true), Of("Phone", hit.Phone, false), Of("MobilePhone", hit.MobilePhone, false),
            Of(hit.Object == "Lead" ? "Company" : "Account.Name", hit.Company, true), Of("Title", hit.Title, false), Of("Website", hit.Website, false),
            Of(hit.Object switch { "Account" => "BillingCity", "Contact" => "MailingCity", _ => "City" }, hit.City, false),
        ];
    }

    /// <summary>Where one typed word is: the first field holding it as typed, else the first holding it with a typo.</summary>
    static (Found, int Field) Find(IReadOnlyList<string> word, string typed, Field[] fields)
    {
        int fuzzy = -1;
        for (int f = 0; f < fields.Length; f++)
        {
            var field = fields[f];
            if (field.Value is null) continue;
            if (word.All(part => field.Tokens.Any(t => t.StartsWith(part, StringComparison.Ordinal)))) return (Found.Exact, f);
            if (fuzzy < 0 && field.Forgives && WithTypos(word, typed, field)) fuzzy = f;
        }
        return fuzzy < 0 ? (Found.None, -1) : (Found.Fuzzy, fuzzy);
    }

    /// <summary>
    /// An email-like word is compared with the whole email ("petr@initech.com" is one edit from
    /// peter@initech.com); any other word token by token, each as a word or the start of one.
    /// </summary>
    static bool WithTypos(IReadOnlyList<string> word, string typed, Field field)
    {
        if (typed.Contains('@') && field.Name == "Email")
        {
            string wanted = typed.ToLowerInvariant();
            int allowed = FuzzyWords.AllowedEdits(wanted.Length);
            return allowed > 0 && Suggestions.EditDistance(wanted, field.Value!.ToLowerInvariant(), allowed) <= allowed;
        }
        foreach (var part in word)
        {
            int allowed = FuzzyWords.AllowedEdits(part.Length);
            bool near = field.Tokens.Any(t => t.StartsWith(part, StringComparison.Ordinal)
                || allowed > 0 && (Suggestions.EditDistance(part, t, allowed) <= allowed
                    || t.Length > part.Length && Suggestions.EditDistance(part, t[..part.Length], allowed) <= allowed));
            if (!near) return false;
        }
        return true;
    }
}
