namespace RevOps.Domain.Search;

/// <summary>A hit and the field (Salesforce name, e.g. Email or Account.Name) the words were found in.</summary>
/// <param name="Match">Null when every word matched as typed; "partial" when some words matched nothing; "fuzzy" when a word matched with a typo.</param>
public sealed record SearchMatch(SearchHit Hit, string MatchedField, string? Match = null)
{
    public const string Partial = "partial";
    public const string Fuzzy = "fuzzy";
}
