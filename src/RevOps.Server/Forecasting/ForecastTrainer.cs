using RevOps.Domain.Forecasting;
using RevOps.Domain.Tenancy;

namespace RevOps.Server.Forecasting;

/// <summary>
/// Trains tenants' win models off the request path, one at a time on one thread: a tenant a forecast found stale
/// (<see cref="ForecastTrainingQueue"/>) at once, and every tenant that has closed enough new deals on an hourly sweep.
/// </summary>
public sealed partial class ForecastTrainer(ForecastService forecasts, ForecastTrainingQueue queue, ITenantStore tenants, ILogger<ForecastTrainer> logger) : BackgroundService
{
    static readonly TimeSpan Sweep = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextSweep = DateTime.UtcNow.AddMinutes(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wait.CancelAfter(nextSweep - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
                TenantId? asked = null;
                try
                {
                    asked = await queue.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
                if (asked is { } tenant) await TrainIfDueAsync(tenant, stoppingToken);
                else
                {
                    foreach (var t in await tenants.ListAsync(stoppingToken)) await TrainIfDueAsync(t.Id, stoppingToken);
                    nextSweep = DateTime.UtcNow + Sweep;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogFailed(e);
            }
        }
    }

    async Task TrainIfDueAsync(TenantId tenant, CancellationToken ct)
    {
        // Several forecasts may have asked for the same tenant while it trained.
        if (!await forecasts.NeedsTrainingAsync(tenant, ct)) return;
        var trained = await Task.Run(() => forecasts.TrainAsync(tenant, ct), ct);
        if (trained is not null) LogTrained(tenant.ToString(), trained.ClosedDeals, trained.ModelBrier, trained.BaselineBrier);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forecast model of tenant {Tenant} trained on {Closed} closed deals: Brier {Model:0.000} against the stage probabilities' {Baseline:0.000}.")]
    partial void LogTrained(string tenant, int closed, double model, double baseline);

    [LoggerMessage(Level = LogLevel.Error, Message = "Forecast training failed; it is tried again on the next request or sweep.")]
    partial void LogFailed(Exception error);
}
