using System.Globalization;

namespace RevOps.Server.SalesforceApi;

/// <summary>The REST API versions we answer (every one a Salesforce client may be pinned to), with Salesforce's release labels.</summary>
public static class ApiVersion
{
    public const int Oldest = 20;
    public const int Newest = 64;

    /// <summary>"v60.0" → "60.0"; null for anything that is not a version we serve.</summary>
    public static string? Parse(string segment)
    {
        if (segment.Length < 2 || segment[0] is not ('v' or 'V')) return null;
        if (!decimal.TryParse(segment.AsSpan(1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return null;
        if (number != decimal.Truncate(number) || number < Oldest || number > Newest) return null;
        return ((int)number).ToString(CultureInfo.InvariantCulture) + ".0";
    }

    public static IEnumerable<string> All => Enumerable.Range(Oldest, Newest - Oldest + 1).Select(v => v.ToString(CultureInfo.InvariantCulture) + ".0");

    /// <summary>Release label: from v50 on, Winter/Spring/Summer by (N − 50) mod 3, year '21 + (N − 50) / 3; earlier ones counted back the same way.</summary>
    public static string Label(string version)
    {
        int n = int.Parse(version.AsSpan(0, version.IndexOf('.')), CultureInfo.InvariantCulture);
        int k = n - 50;
        int season = ((k % 3) + 3) % 3;
        int year = 21 + (int)Math.Floor(k / 3.0);
        string name = season switch { 0 => "Winter", 1 => "Spring", _ => "Summer" };
        return $"{name} '{year:00}";
    }

    /// <summary>Upserts answer 200 with a body from v46.0, 204 before.</summary>
    public static bool UpsertAnswersWithBody(string version) => decimal.Parse(version, CultureInfo.InvariantCulture) >= 46;
}
