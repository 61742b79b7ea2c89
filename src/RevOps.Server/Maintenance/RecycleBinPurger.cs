using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;

namespace RevOps.Server.Maintenance;

/// <summary>Hourly, per tenant: removes for good what has outlived the recycle bin's retention, expired idempotency keys, and the bytes of files no version points at.</summary>
public sealed partial class RecycleBinPurger(RecycleBin bin, ITenantStore tenants, Domain.Files.FileService files, TimeProvider time, ILogger<RecycleBinPurger> logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                await PurgeAllAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async Task PurgeAllAsync(CancellationToken ct)
    {
        foreach (var tenant in await tenants.ListAsync(ct))
        {
            try
            {
                int purged = await bin.PurgeAsync(tenant.Id, ct);
                if (purged > 0) LogPurged(tenant.Id.ToString(), purged, bin.RetentionDays);
                // Then the bytes of the files purged now (or earlier), once no version points at them.
                int swept = await files.SweepAsync(tenant.Id, time.GetUtcNow().UtcDateTime - Domain.Files.FileService.SweepGrace, ct);
                if (swept > 0) LogSwept(tenant.Id.ToString(), swept);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e, tenant.Id.ToString());
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Count} records of tenant {Tenant} deleted more than {Days} days ago.")]
    partial void LogPurged(string tenant, int count, int days);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} stored files of tenant {Tenant} that no file version points at any more.")]
    partial void LogSwept(string tenant, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging the recycle bin of tenant {Tenant} failed; the next run retries.")]
    partial void LogFailed(Exception error, string tenant);
}
