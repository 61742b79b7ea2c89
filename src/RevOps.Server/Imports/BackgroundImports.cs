using RevOps.Domain.Imports;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;
using RevOps.Domain.Writes;

namespace RevOps.Server.Imports;

/// <summary>
/// Runs an import of rows already read (the console's upload) in the background of this node, through the same engine as
/// <c>revops import</c>: <see cref="ImportWriter"/> with the job, so each chunk's records, the job's counts and its rows not
/// written commit together and any node reads the progress from the database. A node that stops mid-way leaves the job
/// running at its last committed row; the same file with the same mapping resumes it there.
/// </summary>
public sealed partial class BackgroundImports(BulkWrite bulk, SoqlService soql, UserService users, IImportJobStore jobs, IHostApplicationLifetime lifetime,
    TimeProvider time, ILogger<BackgroundImports> logger)
{
    /// <summary>Rows handed to the writer at a time, as the CLI does.</summary>
    public const int BatchRows = 2_000;

    public void Start(Caller caller, ImportJob job, ImportColumns columns, ImportOptions options, IReadOnlyList<ImportRow> rows) =>
        _ = Task.Run(() => RunAsync(caller, job, columns, options, rows, lifetime.ApplicationStopping));

    async Task RunAsync(Caller caller, ImportJob job, ImportColumns columns, ImportOptions options, IReadOnlyList<ImportRow> rows, CancellationToken stopping)
    {
        try
        {
            var writer = new ImportWriter(bulk, soql, users, caller, columns, options) { Job = job };
            var fresh = rows.Where(r => r.Number > job.CommittedRow).ToArray();
            for (int start = 0; start < fresh.Length && !stopping.IsCancellationRequested && writer.Halted is null; start += BatchRows)
                await writer.WriteAsync(fresh.AsSpan(start, Math.Min(BatchRows, fresh.Length - start)).ToArray(), stopping);
            if (!stopping.IsCancellationRequested && writer.Halted is null)
                await jobs.FinishAsync(caller.Tenant, job.Id, writer.CommittedRow, time.GetUtcNow().UtcDateTime, CancellationToken.None);
            else if (writer.Halted is { } halted) LogHalted(job.Id, halted.Message);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            // Committed chunks stay committed; the job waits at its last committed row for the same upload to resume it.
            LogFailed(e, job.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {JobId} stopped: {Reason}")]
    partial void LogHalted(string jobId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {JobId} failed; it resumes from its last committed row when the same file is imported again")]
    partial void LogFailed(Exception e, string jobId);
}
