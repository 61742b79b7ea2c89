namespace RevOps.Domain.Search;

/// <summary>A hit and the field (Salesforce name, e.g. Email or Account.Name) the words were found in.</summary>
public sealed record SearchMatch(SearchHit Hit, string MatchedField);
