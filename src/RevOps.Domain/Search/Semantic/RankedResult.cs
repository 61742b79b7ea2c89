namespace RevOps.Domain.Search.Semantic;

/// <summary>A ranked search's page and the mode that actually ran (auto resolves to hybrid or keyword).</summary>
/// <param name="Mode">"keyword", "semantic" or "hybrid".</param>
/// <param name="Note">Why the mode asked for did not run as asked (index still building), for the caller to know.</param>
public sealed record RankedResult(string Mode, IReadOnlyList<RankedMatch> Records, SearchHint? Hint = null, string? Note = null);
