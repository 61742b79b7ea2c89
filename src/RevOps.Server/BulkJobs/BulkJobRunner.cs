using System.Diagnostics;
using RevOps.Domain.BulkJobs;
using RevOps.Server.Usage;

namespace RevOps.Server.BulkJobs;

/// <summary>
/// Runs Bulk API 2.0 jobs in the background: claims one runnable job at a time across tenants (a closed job, or one whose node
/// stopped and whose lease ran out), and runs it to its end. Any node may run any job; the lease keeps two from running one.
/// </summary>
public sealed partial class BulkJobRunner(IBulkJobStore store, BulkJobProcessor processor, BulkJobSignal signal, UsageMeter meter, TimeProvider time,
    ILogger<BulkJobRunner> logger) : BackgroundService
{
    static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            BulkClaim? claim = null;
            try
            {
                var now = time.GetUtcNow().UtcDateTime;
                claim = await store.ClaimAsync(now, now + BulkJobProcessor.Lease, stoppingToken);
                if (claim is null)
                {
                    await signal.WaitAsync(Idle, stoppingToken);
                    continue;
                }
                if (claim.Resumed) LogResumed(claim.Job.Id, claim.Job.ChunksDone, claim.Job.Chunks);
                long started = Stopwatch.GetTimestamp();
                await processor.RunAsync(claim, (caller, rows) =>
                    meter.Record(caller, claim.Job.Kind == BulkJobKind.Ingest ? "bulk2 ingest" : "bulk2 query", true, Stopwatch.GetElapsedTime(started)), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A bug of ours: the job fails with an id that finds the logged exception, and the runner goes on.
                string errorId = Guid.NewGuid().ToString("N")[..12];
                LogFailed(e, errorId, claim?.Job.Id);
                if (claim is not null)
                    await store.SetStateAsync(claim.Tenant, claim.Job.Id, [BulkJobState.InProgress], BulkJobState.Failed,
                        $"UNKNOWN_EXCEPTION: an unexpected error stopped the job. Please include this ErrorId if you contact support: {errorId}",
                        time.GetUtcNow().UtcDateTime, CancellationToken.None);
                else
                    await Task.Delay(Idle, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk job {JobId} resumes at part {Done} of {Parts}")]
    partial void LogResumed(string jobId, int done, int parts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk job runner error {ErrorId} (job {JobId})")]
    partial void LogFailed(Exception e, string errorId, string? jobId);
}
