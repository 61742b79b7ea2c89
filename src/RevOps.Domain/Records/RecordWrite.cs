namespace RevOps.Domain.Records;

/// <summary>
/// One record to write with the change that describes it: an insert when ExpectedVersion is
/// null, otherwise an update that applies only if the stored row is still at that version.
/// </summary>
public sealed record RecordWrite(Record Record, long? ExpectedVersion, ChangeEntry Change)
{
    /// <summary>Unique custom fields with a value in this record: checked inside the write's transaction, so two writers cannot both win.</summary>
    public IReadOnlyList<Metadata.FieldMetadata> UniqueFields { get; init; } = [];
}

/// <summary>What a write sent with an idempotency key did, kept for 24 hours so a retry finds it.</summary>
public sealed record IdempotencyEntry(string Key, string RequestHash, string Object, string RecordId, string Operation, DateTime CreatedAt);

public enum CommitFailure
{
    /// <summary>A record changed since it was read; read again and retry.</summary>
    VersionConflict,
    /// <summary>Another write with the same idempotency key committed first.</summary>
    IdempotencyKeyTaken,
    /// <summary>A unique field's value already belongs to another live record.</summary>
    DuplicateValue,
    /// <summary>The import job's committed row is not where this run left it: another run of the same import moved it.</summary>
    ImportMoved,
}

/// <summary>The change-log sequence of each write, in order, or why nothing was written.</summary>
/// <param name="Field">For a duplicate value: the unique field.</param>
/// <param name="ExistingId">For a duplicate value: the record that already holds it.</param>
public sealed record CommitResult(IReadOnlyList<long> Sequences, CommitFailure? Failure, string? Field = null, string? ExistingId = null)
{
    public bool Committed => Failure is null;
}
