namespace RevOps.Domain.Search.Semantic;

/// <summary>How search_crm and /api/search rank.</summary>
public enum SearchMode
{
    /// <summary>Hybrid when the tenant's semantic index is built, keyword otherwise (and for phone numbers and emails).</summary>
    Auto,
    /// <summary>Words and close spellings only (the full-text index).</summary>
    Keyword,
    /// <summary>Meaning only (the embedding index).</summary>
    Semantic,
}
