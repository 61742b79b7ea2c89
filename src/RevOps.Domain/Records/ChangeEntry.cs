namespace RevOps.Domain.Records;

/// <summary>What a write did, appended to the change log in the write's own transaction.</summary>
public sealed record ChangeEntry(
    string Object,
    string RecordId,
    string Operation,
    IReadOnlyList<FieldChange> Changes,
    string ActorId,
    string Channel,
    DateTime At)
{
    /// <summary>The request that made the change (see <see cref="Tenancy.Caller.RequestId"/>).</summary>
    public string? RequestId { get; init; }

    /// <summary>The acting user's name at the time.</summary>
    public string? ActorName { get; init; }

    /// <summary>The API key the change came with, if any.</summary>
    public string? KeyId { get; init; }

    /// <summary>A change made by <paramref name="caller"/>: its user, key, channel and request id.</summary>
    public static ChangeEntry By(Tenancy.Caller caller, string obj, string recordId, string operation, IReadOnlyList<FieldChange> changes, DateTime at) =>
        new(obj, recordId, operation, changes, caller.ActorId, caller.Channel, at) { RequestId = caller.RequestId, ActorName = caller.ActorName, KeyId = caller.KeyId };
}

public static class ChangeOperations
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string StageChanged = "stage_changed";
    public const string Deleted = "deleted";
    public const string Restored = "restored";
    public const string Converted = "converted";
    /// <summary>A duplicate merged into a master record: it went to the recycle bin, and the entry names the master as MasterRecordId.</summary>
    public const string Merged = "merged";
}
