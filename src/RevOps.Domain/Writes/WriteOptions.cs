using RevOps.Domain.Records;

namespace RevOps.Domain.Writes;

public enum DuplicatePolicy
{
    /// <summary>Create anyway and report the records it may duplicate.</summary>
    Allow,
    /// <summary>Refuse the create when a record with the same email exists.</summary>
    Block,
}

/// <summary>How a caller wants a write done.</summary>
/// <param name="IdempotencyKey">The same key within 24 hours returns the first write's record instead of writing again.</param>
/// <param name="DryRun">Validate and report what would be written; write nothing.</param>
public sealed record WriteOptions(string? IdempotencyKey = null, bool DryRun = false, DuplicatePolicy OnDuplicate = DuplicatePolicy.Allow)
{
    public static WriteOptions Default { get; } = new();
}

/// <summary>A record that may be the same person as the one being created.</summary>
public sealed record DuplicateMatch(string Object, string Id, string? Name, string? Email);

/// <summary>What a create or update did (or, for a dry run, would do).</summary>
public sealed record WriteOutcome(Record Record, string Operation, IReadOnlyList<FieldChange> Changes)
{
    public bool DryRun { get; init; }
    /// <summary>An earlier write with the same idempotency key answered this one; nothing new was written.</summary>
    public bool Replayed { get; init; }
    public IReadOnlyList<DuplicateMatch> PossibleDuplicates { get; init; } = [];
}
