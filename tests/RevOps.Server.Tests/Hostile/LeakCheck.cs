using System.Text.RegularExpressions;
using RevOps.Domain.Ids;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Finds tenant A's data in an answer to tenant B, and compares B's answer for one of A's values
/// with its answer for an equivalent value nobody holds: they must be the same answer.
/// </summary>
public static partial class LeakCheck
{
    /// <summary>A's markers and Ids found in <paramref name="body"/>, other than the ones B sent itself.</summary>
    public static IReadOnlyList<string> Leaks(VictimDataset victim, string body, string sent, bool markers = true)
    {
        body = Unescape(body);
        sent = Unescape(sent);
        var leaks = new List<string>();
        foreach (var marker in markers ? victim.Markers : [])
            if (body.Contains(marker, StringComparison.OrdinalIgnoreCase) && !sent.Contains(marker, StringComparison.OrdinalIgnoreCase)) leaks.Add(marker);
        foreach (var id in victim.Ids)
            if ((body.Contains(id, StringComparison.Ordinal) || body.Contains(id[..15], StringComparison.Ordinal)) && !sent.Contains(id[..15], StringComparison.Ordinal)) leaks.Add(id);
        return leaks;
    }

    /// <summary>A value of the same shape nobody holds: an Id with A's key prefix never issued, or the marker with its letters swapped.</summary>
    public static string ControlFor(string value)
    {
        if (value.Length is 15 or 18 && SalesforceId.TryNormalize(value, out _) && value.Any(char.IsAsciiDigit))
        {
            string control = SalesforceId.To18(value[..3] + "Zz9Zz9Zz9Zz9");
            return value.Length == 15 ? control[..15] : control;
        }
        if (Guid.TryParse(value, out _)) return "0badc0de-0000-4000-8000-000000000000";
        return value.Replace("zqx", "qjv", StringComparison.Ordinal).Replace("Zqx", "Qjv", StringComparison.Ordinal).Replace("ZQX", "QJV", StringComparison.Ordinal)
            .Replace("4155550199", "4155550142", StringComparison.Ordinal);
    }

    /// <summary>The answer with the probed value, timestamps, generated Ids and error ids masked, so two answers can be compared.</summary>
    public static string Normalize(string body, string probe)
    {
        body = Unescape(body);
        foreach (var form in Forms(probe).Where(f => f.Length > 0)) body = body.Replace(form, "<PROBE>", StringComparison.OrdinalIgnoreCase);
        body = Timestamp().Replace(body, "<TS>");
        body = GeneratedId().Replace(body, "<ID>");
        body = MarkerToken().Replace(body, "<MARK>");
        return HexId().Replace(body, "<HEX>");
    }

    /// <summary>JSON text content escapes quotes and '+' as \u0022 and \u002B; compare the characters themselves.</summary>
    public static string Unescape(string text) => JsonEscape().Replace(text, m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());

    static IEnumerable<string> Forms(string probe)
    {
        if (SalesforceId.TryNormalize(probe, out var id18)) return [id18, id18[..15]];
        return [probe];
    }

    /// <summary>The token every marker carries and its control's swap, wherever it was derived into (a label from an api_name).</summary>
    [GeneratedRegex("zqx|qjv", RegexOptions.IgnoreCase)]
    private static partial Regex MarkerToken();

    [GeneratedRegex(@"\\u([0-9A-Fa-f]{4})")]
    private static partial Regex JsonEscape();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(\\u002B\d{4}|\+\d{4}|\+\d{2}:\d{2}|Z)?")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\b[0-9A-Za-z]{18}\b")]
    private static partial Regex GeneratedId();

    [GeneratedRegex(@"\b[0-9a-f]{12}\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")]
    private static partial Regex HexId();
}
