using RevOps.Domain.Tenancy;

namespace RevOps.Domain.BulkJobs;

public enum BulkJobKind
{
    Ingest,
    Query,
}

/// <summary>Salesforce's job states: Open → UploadComplete → InProgress → JobComplete | Failed | Aborted (query jobs start at UploadComplete).</summary>
public static class BulkJobState
{
    public const string Open = "Open";
    public const string UploadComplete = "UploadComplete";
    public const string InProgress = "InProgress";
    public const string JobComplete = "JobComplete";
    public const string Failed = "Failed";
    public const string Aborted = "Aborted";

    public static bool IsFinal(string state) => state is JobComplete or Failed or Aborted;
}

/// <summary>
/// One Bulk API 2.0 job as stored: what it does, who created it (the processing runs as that caller) and how far it got.
/// Ingest data is kept in parts of <see cref="BulkJobs.PartRows"/> rows; <see cref="ChunksDone"/> counts the parts whose results are stored.
/// </summary>
public sealed record BulkJob(
    string Id, BulkJobKind Kind, string Object, string Operation, string? ExternalIdField, string ColumnDelimiter, string LineEnding,
    string? Query, string State, string? ErrorMessage, string ActorId, string? ActorName, string? KeyId, Scopes Scopes, string ApiVersion,
    IReadOnlyList<string>? Headers, long UploadBytes, int Chunks, long RowsTotal, int ChunksDone, long Processed, long Failed, int Retries,
    DateTime CreatedAt, DateTime UpdatedAt, DateTime? StartedAt, DateTime? FinishedAt)
{
    /// <summary>The caller the job's writes and queries run as: its creator, on the REST channel.</summary>
    public Caller Caller(TenantId tenant, string? requestId) =>
        new(tenant, ActorId, Scopes, "rest") { ActorName = ActorName, KeyId = KeyId, RequestId = requestId };

    /// <summary>The request id a data part's writes carry in the change log: what tells a resumed job whether the part landed.</summary>
    public string PartRequestId(int seq) => $"bulk2/{Id}/{seq}";

    public char Delimiter => BulkJobs.DelimiterChar(ColumnDelimiter);

    public string NewLine => LineEnding == "CRLF" ? "\r\n" : "\n";
}
