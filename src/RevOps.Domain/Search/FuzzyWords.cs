namespace RevOps.Domain.Search;

/// <summary>
/// The rules of the forgiving search, written once for every store: how many typos a word may
/// hold, which words are too common to find a company by, and the trigrams a store looks up.
/// </summary>
public static class FuzzyWords
{
    /// <summary>Typos a word of this many characters may hold: none up to 4 ("Bob" is not "Rob"), 1 up to 8, then 2.</summary>
    public static int AllowedEdits(int length) => length <= 4 ? 0 : length <= 8 ? 1 : 2;

    /// <summary>Words that many company names share: they add to a match but never make one.</summary>
    static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "companies", "llc", "llp", "lp", "ltd", "limited",
        "plc", "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "pty", "srl", "spa", "oy", "ab", "as", "kk",
        "group", "holding", "holdings", "international", "intl", "global", "enterprises", "industries", "partners",
        "services", "solutions", "systems", "technologies", "technology", "the", "and", "of", "for", "de",
        "com", "net", "org", "io", "www", "http", "https", "mail", "gmail",
    };

    public static bool IsCommon(string token) => Common.Contains(token);

    /// <summary>Shortest token worth looking up by its trigrams.</summary>
    public const int MinProbeLength = 3;

    /// <summary>Most probe tokens per search: enough for a name, email and company, few enough to keep the lookup small.</summary>
    public const int MaxProbes = 8;

    /// <summary>
    /// The tokens a store looks up by trigram: each distinct, not common and at least
    /// <see cref="MinProbeLength"/> long, longest first (they say the most).
    /// </summary>
    public static IReadOnlyList<string> Probes(SearchTerms terms) => terms.Words
        .SelectMany(w => w)
        .Where(t => t.Length >= MinProbeLength && !IsCommon(t))
        .Distinct(StringComparer.Ordinal)
        .OrderByDescending(t => t.Length)
        .Take(MaxProbes)
        .ToArray();

    /// <summary>The three-character runs of <paramref name="token"/> ("gibons": gib, ibo, bon, ons), each once.</summary>
    public static IEnumerable<string> Trigrams(string token)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i + 3 <= token.Length; i++)
        {
            string gram = token.Substring(i, 3);
            if (seen.Add(gram)) yield return gram;
        }
    }
}
