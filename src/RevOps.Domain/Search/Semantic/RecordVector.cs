namespace RevOps.Domain.Search.Semantic;

/// <summary>
/// One record's entry in the semantic index: its vector and the fields structured filters test, so a
/// filtered search ranks only the records that pass. A null <paramref name="Vector"/> is a tombstone (the
/// record was deleted), kept so that caches loading only what changed since their version see the delete.
/// </summary>
/// <param name="Industry">The record's industry; a Contact's or Opportunity's is its Account's.</param>
public sealed record RecordVector(
    string Object, string Id, string? Name, string? OwnerId, string? Industry, string? StageName, DateTime? CreatedDate, float[]? Vector);
