namespace RevOps.Domain.Ids;

/// <summary>
/// Salesforce record ids: 15 case-sensitive base62 characters, optionally followed by a
/// 3-character suffix that encodes the case of the first 15 so the 18-character form is
/// safe in case-insensitive places (spreadsheets, URLs, our NOCASE indexes).
/// </summary>
public static class SalesforceId
{
    const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    /// <summary>Appends the case-safe suffix to a 15-character id.</summary>
    public static string To18(ReadOnlySpan<char> id15)
    {
        if (id15.Length != 15) throw new ArgumentException("A 15-character id is required.", nameof(id15));
        Span<char> result = stackalloc char[18];
        id15.CopyTo(result);
        WriteSuffix(id15, result[15..]);
        return new string(result);
    }

    /// <summary>
    /// Accepts a 15- or 18-character id and returns its canonical 18-character form.
    /// An 18-character id is repaired to its true case from the suffix (so "001abc…AAA" typed in
    /// any case still finds the record); a suffix that cannot belong to the id is rejected.
    /// </summary>
    public static bool TryNormalize(string? input, out string id18)
    {
        id18 = "";
        if (input is null) return false;
        var text = input.AsSpan().Trim();
        if (text.Length != 15 && text.Length != 18) return false;
        foreach (var c in text)
            if (!char.IsAsciiLetterOrDigit(c)) return false;

        if (text.Length == 15)
        {
            id18 = To18(text);
            return true;
        }

        Span<char> body = stackalloc char[15];
        text[..15].CopyTo(body);
        for (int chunk = 0; chunk < 3; chunk++)
        {
            int index = SuffixAlphabet.IndexOf(char.ToUpperInvariant(text[15 + chunk]));
            if (index < 0) return false;
            for (int bit = 0; bit < 5; bit++)
            {
                ref char c = ref body[chunk * 5 + bit];
                bool upper = (index & (1 << bit)) != 0;
                if (upper) c = char.ToUpperInvariant(c);
                else if (char.IsAsciiLetterUpper(c)) c = char.ToLowerInvariant(c);
                // A digit cannot carry case, so a suffix claiming one is upper-case is not this id's.
                if (upper && char.IsAsciiDigit(c)) return false;
            }
        }
        id18 = To18(body);
        return true;
    }

    /// <summary>
    /// Why an 18-character text that looks like an Id is not one: its last three characters are no checksum
    /// (they only ever hold A–Z and 0–5), as when an Id was mistyped; empty for anything else, so callers can
    /// append it to their own message.
    /// </summary>
    public static string ChecksumProblem(string? input)
    {
        string text = input?.Trim() ?? "";
        if (text.Length != 18 || !text.All(char.IsAsciiLetterOrDigit)) return "";
        string suffix = text[15..];
        if (suffix.All(c => SuffixAlphabet.Contains(char.ToUpperInvariant(c)))) return "";
        return $" Its last three characters '{suffix}' are not an Id's checksum (only letters A–Z and digits 0–5), so it was mistyped: copy the Id again, or send its first 15 characters '{text[..15]}'.";
    }

    /// <summary>The 3-character key prefix that names the object (001 Account, 003 Contact, …).</summary>
    public static string KeyPrefix(string id) => id[..3];

    /// <summary>The organization Id (00D…) Salesforce clients expect for a tenant: derived from its UUID, so it is stable.</summary>
    public static string ForOrganization(Tenancy.TenantId tenant) => Derived("00D", tenant.Value.ToByteArray());

    static string Derived(string keyPrefix, byte[] bytes)
    {
        const string base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        Span<char> id = stackalloc char[15];
        keyPrefix.CopyTo(id);
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true);
        for (int i = 14; i >= 3; i--)
        {
            id[i] = base62[(int)(value % 62)];
            value /= 62;
        }
        return To18(id);
    }

    static void WriteSuffix(ReadOnlySpan<char> id15, Span<char> suffix)
    {
        for (int chunk = 0; chunk < 3; chunk++)
        {
            int flags = 0;
            for (int bit = 0; bit < 5; bit++)
                if (char.IsAsciiLetterUpper(id15[chunk * 5 + bit])) flags |= 1 << bit;
            suffix[chunk] = SuffixAlphabet[flags];
        }
    }
}
