namespace RevOps.Domain.Search.Semantic;

/// <summary>Structured filters a search narrows to, tested on the index entry (so before ranking, not after).</summary>
/// <param name="Industry">A record's own Industry, or its Account's for Contacts and Opportunities (case-insensitive).</param>
/// <param name="CreatedAfter">Created at or after (UTC).</param>
/// <param name="CreatedBefore">Created before (UTC).</param>
public sealed record SemanticFilters(string? OwnerId = null, string? Industry = null, string? StageName = null, DateTime? CreatedAfter = null, DateTime? CreatedBefore = null)
{
    public static readonly SemanticFilters None = new();

    public bool IsEmpty => this == None;

    public bool Admits(RecordVector entry) =>
        (OwnerId is null || string.Equals(entry.OwnerId, OwnerId, StringComparison.Ordinal))
        && (Industry is null || string.Equals(entry.Industry, Industry, StringComparison.OrdinalIgnoreCase))
        && (StageName is null || string.Equals(entry.StageName, StageName, StringComparison.OrdinalIgnoreCase))
        && (CreatedAfter is null || entry.CreatedDate >= CreatedAfter)
        && (CreatedBefore is null || entry.CreatedDate < CreatedBefore);
}
