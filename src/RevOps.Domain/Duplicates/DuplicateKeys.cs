using RevOps.Domain.Search;

namespace RevOps.Domain.Duplicates;

/// <summary>
/// The normalised values the rules compare. The store indexes the same keys (lower case is ASCII-only there, as
/// SQLite's and PostgreSQL's lower() are for the "C" collation), so a key computed here finds its rows by index.
/// </summary>
public static class DuplicateKeys
{
    /// <summary>Legal-form words an Account's name may end with; "Acme, Inc." and "ACME Corp" are both "acme".</summary>
    static readonly string[] LegalSuffixes =
        ["inc", "incorporated", "llc", "l.l.c", "ltd", "limited", "corp", "corporation", "co", "company", "gmbh", "ag", "sa", "plc", "bv", "pty", "srl", "sarl", "oy", "ab"];

    public static string? Email(string? email) => Present(email) is { } e ? LowerAscii(e) : null;

    public static string? Name(string? name) => Present(name) is { } n ? LowerAscii(n) : null;

    /// <summary>Phone or MobilePhone's national part (see <see cref="SearchTerms.NationalNumber"/>).</summary>
    public static string? Phone(string? phone) => SearchTerms.NationalNumber(phone);

    /// <summary>An Account name without case and without one or two trailing legal-form words ("Acme Holdings Co., Ltd." is "acme holdings").</summary>
    public static string? AccountName(string? name)
    {
        if (Name(name) is not { } key) return null;
        for (int strip = 0; strip < 2; strip++)
        {
            var trimmed = key.TrimEnd('.', ',', ' ');
            int space = trimmed.LastIndexOfAny([' ', ',']);
            if (space <= 0 || !LegalSuffixes.Contains(trimmed[(space + 1)..])) return trimmed;
            key = trimmed[..space];
        }
        return key.TrimEnd('.', ',', ' ');
    }

    /// <summary>The stored spellings (lower case) an Account named <paramref name="baseName"/> most likely has, for the indexed look-up.</summary>
    public static IEnumerable<string> AccountNameSpellings(string baseName)
    {
        yield return baseName;
        foreach (var suffix in LegalSuffixes)
            foreach (var separator in new[] { " ", ", " })
            {
                yield return baseName + separator + suffix;
                yield return baseName + separator + suffix + ".";
            }
    }

    /// <summary>A Website's host: lower case, without its scheme, a leading "www." and anything from the first '/'.</summary>
    public static string? Website(string? website)
    {
        if (Name(website) is not { } w) return null;
        int scheme = w.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) w = w[(scheme + 3)..];
        if (w.StartsWith("www.", StringComparison.Ordinal)) w = w[4..];
        int slash = w.IndexOf('/');
        if (slash >= 0) w = w[..slash];
        return w.Length == 0 ? null : w;
    }

    static string? Present(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    static string LowerAscii(string value) => string.Create(value.Length, value, static (span, v) =>
    {
        for (int i = 0; i < v.Length; i++) span[i] = char.IsAsciiLetterUpper(v[i]) ? (char)(v[i] | 0x20) : v[i];
    });
}
