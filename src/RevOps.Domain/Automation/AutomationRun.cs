namespace RevOps.Domain.Automation;

/// <summary>One entry of the execution log: a rule started by one change, and what came of it.</summary>
/// <param name="Status">pending, done, skipped (condition false, rule gone), failed (the error says why) or stopped (loop protection).</param>
/// <param name="Result">done: JSON array of what each action did.</param>
public sealed record AutomationRun(
    string Id,
    string RuleId,
    string RuleName,
    long Seq,
    string Object,
    string RecordId,
    string Operation,
    int Depth,
    string Status,
    int Attempts,
    string? Error,
    string? Result,
    DateTime CreatedAt,
    DateTime? FinishedAt)
{
    /// <summary>The operation of a scheduled rule's fire: it has no change and no one record (record_id is empty, seq the fire time in Unix seconds).</summary>
    public const string ScheduledOperation = "scheduled";

    public static class Statuses
    {
        public const string Pending = "pending";
        public const string Done = "done";
        public const string Skipped = "skipped";
        public const string Failed = "failed";
        public const string Stopped = "stopped";
        public static readonly IReadOnlyList<string> All = [Pending, Done, Skipped, Failed, Stopped];
    }
}

/// <summary>A run leased to this process: the change that started it, as the change log holds it.</summary>
public sealed record DueRun(
    Tenancy.TenantId Tenant,
    string Id,
    string RuleId,
    long Seq,
    string Object,
    string RecordId,
    string Operation,
    int Depth,
    string Changes,
    int Attempts,
    string Lease);

/// <summary>How a run ended.</summary>
public sealed record RunOutcome(string Status, string? Error, string? Result);
