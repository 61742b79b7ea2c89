using RevOps.Domain.Tenancy;
using RevOps.Domain.Usage;

namespace RevOps.Server.Usage;

/// <summary>
/// Writes the meter's counts to the usage tables once a second, and once more on shutdown.
/// A crash loses at most the last second of counts; a failed write keeps them for the next try.
/// </summary>
public sealed partial class UsageFlusher(UsageMeter meter, IUsageStore usage, ITenantStore keys, ILogger<UsageFlusher> logger) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await FlushAsync(CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(CancellationToken.None);
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        var (counts, keysUsed) = meter.Drain();
        if (counts.Count > 0)
        {
            try
            {
                await usage.AddAsync(counts, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                meter.Restore(counts);
                LogFlushFailed(e);
            }
        }
        if (keysUsed.Count > 0)
        {
            try
            {
                await keys.TouchKeysAsync(keysUsed, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFlushFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage flush failed; counts kept for the next flush")]
    partial void LogFlushFailed(Exception error);
}
