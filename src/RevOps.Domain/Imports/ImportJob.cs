namespace RevOps.Domain.Imports;

public enum ImportJobState
{
    /// <summary>Started and not at the end of its file yet: running now, or stopped (Ctrl+C, kill -9) and waiting to be resumed.</summary>
    Running,
    Finished,
}

/// <summary>Rows counted by what became of them.</summary>
public sealed record ImportCounts(long Created = 0, long Updated = 0, long Skipped = 0, long Failed = 0)
{
    public static ImportCounts Zero { get; } = new();
    public long Written => Created + Updated;
    public long Read => Written + Skipped + Failed;

    public ImportCounts Add(ImportCounts other) =>
        new(Created + other.Created, Updated + other.Updated, Skipped + other.Skipped, Failed + other.Failed);

    public static ImportCounts Of(ImportRowStatus status) => status switch
    {
        ImportRowStatus.Created => new(Created: 1),
        ImportRowStatus.Updated => new(Updated: 1),
        ImportRowStatus.Skipped => new(Skipped: 1),
        _ => new(Failed: 1),
    };
}

/// <summary>
/// One import of one file with one set of options, kept in the database so that running the same import again
/// continues after <see cref="CommittedRow"/> (the last data row whose outcome is committed, 0 before the first).
/// </summary>
/// <param name="Fingerprint">SHA-256 of the file's bytes: the same data under another name resumes; an edited file is a new import.</param>
/// <param name="Options">The object and every option that changes what a row writes, as one canonical text.</param>
public sealed record ImportJob(string Id, string Object, string Source, string Fingerprint, string Options, ImportJobState State,
    long CommittedRow, ImportCounts Counts, DateTime StartedAt, DateTime? FinishedAt);

/// <summary>
/// An import's progress, committed in the same transaction as the records of the chunk it covers: rows
/// <see cref="FromRow"/>+1 to <see cref="ToRow"/> are done, with these counts and these rows not written.
/// The commit fails when the job's committed row is no longer <see cref="FromRow"/> (another run moved it).
/// </summary>
public sealed record ImportMark(string JobId, long FromRow, long ToRow, ImportCounts Added, IReadOnlyList<ImportRowResult> NotWritten, DateTime At);
