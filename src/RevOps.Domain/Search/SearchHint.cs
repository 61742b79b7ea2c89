namespace RevOps.Domain.Search;

/// <summary>Why a search found nothing, and the names to search for instead of creating a duplicate.</summary>
/// <param name="Unmatched">The typed words no record holds, even with a typo.</param>
/// <param name="DidYouMean">Up to three names of records spelt closest to the words, closest first.</param>
public sealed record SearchHint(IReadOnlyList<string> Unmatched, IReadOnlyList<string> DidYouMean);
