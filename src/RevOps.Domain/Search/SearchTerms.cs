using RevOps.Domain.Errors;

namespace RevOps.Domain.Search;

/// <summary>
/// What a user typed, reduced to plain words: each whitespace-separated word becomes its runs of
/// letters and digits (lower case), so "o'brien" is the phrase o·brien and "sarah@acme.test" is
/// sarah·acme·test. Nothing of a query language survives, so no input can be a syntax error in
/// any store's query language. Phone-like text also gets its digits, to match any formatting.
/// </summary>
public sealed class SearchTerms
{
    public const int MaxLength = 256;
    public const int MaxWords = 16;

    /// <summary>A phone number has at least this many digits; fewer is too vague to match by digits.</summary>
    const int MinPhoneDigits = 7;

    SearchTerms(IReadOnlyList<IReadOnlyList<string>> words, IReadOnlyList<string> typed, string? digits)
    {
        Words = words;
        Typed = typed;
        Digits = digits;
    }

    /// <summary>The words to find, all of them (AND); each is one or more tokens in sequence, the last one a prefix.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Words { get; }

    /// <summary>Each of <see cref="Words"/> as it was typed, e.g. "Peter@Initech.con": what a hint quotes and an email is compared with.</summary>
    public IReadOnlyList<string> Typed { get; }

    /// <summary>The digits of phone-like text ("+1 (415) 555-0100" gives 14155550100), otherwise null.</summary>
    public string? Digits { get; }

    /// <summary>True when the text had no letters or digits at all (e.g. "*" or "()"): nothing can match.</summary>
    public bool IsEmpty => Words.Count == 0;

    public static CrmResult<SearchTerms> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return new CrmError(ErrorCodes.RequiredFieldMissing,
                "text is required. Send the words to look for: a name, email, phone number, company or title, e.g. \"Sarah Acme\".", "text");
        if (text.Length > MaxLength)
            return new CrmError(ErrorCodes.InvalidArgument,
                $"text holds at most {MaxLength} characters; {text.Length} were sent. Send a few distinctive words instead.", "text");

        var words = new List<IReadOnlyList<string>>();
        var typed = new List<string>();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var tokens = Tokenize(word);
            if (tokens.Count == 0) continue;
            words.Add(tokens);
            typed.Add(word);
        }
        if (words.Count > MaxWords)
            return new CrmError(ErrorCodes.InvalidArgument,
                $"text has {words.Count} words; at most {MaxWords} are searched together. Send fewer, more distinctive words.", "text");
        return new SearchTerms(words, typed, PhoneDigits(text));
    }

    /// <summary>The lower-case runs of letters and digits in <paramref name="text"/>, as the index tokenizes stored text.</summary>
    public static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool inToken = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inToken && start < 0) start = i;
            else if (!inToken && start >= 0)
            {
                tokens.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return tokens;
    }

    /// <summary>Digits only, when the text is nothing but a phone number in some format.</summary>
    public static string? PhoneDigits(string text)
    {
        if (text.Length > MaxLength) return null;
        Span<char> digits = stackalloc char[MaxLength];
        int count = 0;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c)) digits[count++] = c;
            else if (c is not (' ' or '+' or '-' or '(' or ')' or '.' or '/')) return null;
        }
        return count >= MinPhoneDigits ? new string(digits[..count]) : null;
    }

    /// <summary>How many of the words <paramref name="value"/> contains (each token as a prefix of a token there).</summary>
    public int WordsIn(string? value)
    {
        if (string.IsNullOrEmpty(value)) return 0;
        var tokens = Tokenize(value);
        int found = 0;
        foreach (var word in Words)
            if (word.All(part => tokens.Any(t => t.StartsWith(part, StringComparison.Ordinal)))) found++;
        return found;
    }

    /// <summary>True when the phone number <paramref name="value"/> holds the searched digits, whatever its formatting.</summary>
    public bool DigitsIn(string? value)
    {
        if (Digits is null || string.IsNullOrEmpty(value)) return false;
        var stored = StoredDigits(value);
        return stored.Contains(Digits, StringComparison.Ordinal) || Digits.EndsWith(stored, StringComparison.Ordinal) && stored.Length >= MinPhoneDigits;
    }

    /// <summary>The digits of a stored phone number, its extension (from x, e or #) cut off, as the search index keeps them.</summary>
    public static string StoredDigits(string value) =>
        new(value.TakeWhile(c => c is not ('x' or 'X' or 'e' or 'E' or '#')).Where(char.IsAsciiDigit).ToArray());

    /// <summary>The longest suffix of a number the index keeps as its own token: the national significant part.</summary>
    public const int NationalDigits = 10;

    /// <summary>
    /// A stored phone number's national significant part (its last 10 digits, extension cut off), so
    /// "+1 (415) 555-0100" and "415.555.0100" compare equal; null for fewer than 7 digits (too vague).
    /// </summary>
    public static string? NationalNumber(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var digits = StoredDigits(value);
        return digits.Length < MinPhoneDigits ? null : digits.Length > NationalDigits ? digits[^NationalDigits..] : digits;
    }
}
