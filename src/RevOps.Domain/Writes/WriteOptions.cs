using RevOps.Domain.Errors;
using RevOps.Domain.Records;

namespace RevOps.Domain.Writes;

/// <summary>What the caller wants done with a new record that may duplicate another; unset, the tenant's rules decide.</summary>
public enum DuplicatePolicy
{
    /// <summary>Write it and list the records it may duplicate.</summary>
    Report,
    /// <summary>Do not write it; say it was skipped and why (the rest of a batch goes on).</summary>
    Skip,
    /// <summary>Refuse it with DUPLICATES_DETECTED.</summary>
    Block,
}

/// <summary>How a caller wants a write done.</summary>
/// <param name="IdempotencyKey">The same key within 24 hours returns the first write's record instead of writing again.</param>
/// <param name="DryRun">Validate and report what would be written; write nothing.</param>
/// <param name="OnDuplicate">The caller's choice for duplicates; null lets each of the tenant's rules report or block as set.</param>
public sealed record WriteOptions(string? IdempotencyKey = null, bool DryRun = false, DuplicatePolicy? OnDuplicate = null)
{
    public static WriteOptions Default { get; } = new();

    /// <summary>on_duplicate as sent: report (or allow, its old name), skip or block; null when not sent.</summary>
    public static CrmResult<DuplicatePolicy?> ParsePolicy(string? text, string field) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => CrmResult<DuplicatePolicy?>.Ok(null),
        "report" or "allow" => CrmResult<DuplicatePolicy?>.Ok(DuplicatePolicy.Report),
        "skip" => CrmResult<DuplicatePolicy?>.Ok(DuplicatePolicy.Skip),
        "block" => CrmResult<DuplicatePolicy?>.Ok(DuplicatePolicy.Block),
        _ => new CrmError(ErrorCodes.InvalidArgument, $"{field} must be report, skip or block; got '{(text.Length > 40 ? text[..40] + "…" : text)}'.", field),
    };

    /// <summary>
    /// Without <see cref="OnDuplicate"/>: whether the tenant's reporting rules are checked too (MCP answers list
    /// possible duplicates) or only its blocking ones (REST, which has nowhere to list them, pays no check otherwise).
    /// </summary>
    public bool ReportDuplicates { get; init; }

    /// <summary>Set by a batch that already looked up the duplicates of all its records at once: the create lists these and looks up nothing.</summary>
    internal IReadOnlyList<DuplicateMatch>? CheckedDuplicates { get; init; }

    /// <summary>
    /// For an all-or-none batch of an import: given the batch's results just before its commit, the import's
    /// progress to commit in the same transaction.
    /// </summary>
    internal Func<IReadOnlyList<BatchItemResult>, Imports.ImportMark>? Mark { get; init; }
}

/// <summary>A record a new one may duplicate: the rule that matched, the record, and its value that matched.</summary>
public sealed record DuplicateMatch(string Rule, string Object, string Id, string? Name, string Value);

/// <summary>What a create or update did (or, for a dry run, would do).</summary>
public sealed record WriteOutcome(Record Record, string Operation, IReadOnlyList<FieldChange> Changes)
{
    public bool DryRun { get; init; }
    /// <summary>An earlier write with the same idempotency key answered this one; nothing new was written.</summary>
    public bool Replayed { get; init; }
    /// <summary>on_duplicate: skip left the record unwritten because of <see cref="PossibleDuplicates"/>.</summary>
    public bool Skipped { get; init; }
    public IReadOnlyList<DuplicateMatch> PossibleDuplicates { get; init; } = [];
}
