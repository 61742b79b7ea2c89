namespace RevOps.Domain.Rules;

/// <summary>"Did you mean" for misspelt names.</summary>
public static class Suggestions
{
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            int distance = EditDistance(input.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return best is not null && bestDistance <= Math.Max(2, input.Length / 3) ? best : null;
    }

    /// <summary>
    /// The object people mean by another CRM's word for it ("deal" is an Opportunity, not the Lead it is spelt
    /// closest to), singular or plural, any case; null for any other word.
    /// </summary>
    public static string? ObjectSynonym(string word) => word.Trim().ToLowerInvariant().TrimEnd('s') switch
    {
        "deal" or "opportunitie" or "opp" or "oppty" => "Opportunity",
        "company" or "companie" or "organization" or "organisation" or "org" or "customer" => "Account",
        "person" or "people" or "peoples" => "Contact",
        "to-do" or "todo" or "activity" or "activitie" or "call" => "Task",
        "meeting" or "appointment" or "calendar" => "Event",
        "prospect" => "Lead",
        "member" or "rep" or "owner" or "employee" => "User",
        _ => null,
    };

    /// <summary>The object a misspelt or foreign object name most likely means: a synonym first, then the closest spelling.</summary>
    public static string? ClosestObject(string input, IEnumerable<string> objects) => ObjectSynonym(input) ?? Closest(input, objects);

    /// <summary>"a Contact", "an Account".</summary>
    public static string WithArticle(string noun) => ("AEIOUaeiou".Contains(noun[0]) ? "an " : "a ") + noun;

    /// <summary>
    /// Edits (insert, delete, substitute, swap two neighbours) that turn <paramref name="a"/> into
    /// <paramref name="b"/>: the optimal-string-alignment distance, so "teh" is one edit from "the".
    /// Stops early and returns <paramref name="atMost"/> + 1 once it is sure to exceed <paramref name="atMost"/>.
    /// </summary>
    public static int EditDistance(string a, string b, int atMost = int.MaxValue - 1)
    {
        if (Math.Abs(a.Length - b.Length) > atMost) return atMost + 1;
        var before = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            int rowBest = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int d = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = Math.Min(d, before[j - 2] + 1);
                current[j] = d;
                rowBest = Math.Min(rowBest, d);
            }
            if (rowBest > atMost) return atMost + 1;
            (before, previous, current) = (previous, current, before);
        }
        return Math.Min(previous[b.Length], atMost + 1);
    }
}
