using RevOps.Domain.Webhooks;
using RevOps.Storage;

namespace RevOps.Server.Webhooks;

/// <summary>
/// Drains the outbox: wakes after every commit that appended a change (or each second, for due
/// retries and for writes made by other processes such as the CLI), fans new changes out into
/// deliveries, leases what is due and sends it, up to <see cref="WebhookSettings.Concurrency"/>
/// attempts at once. See docs/webhooks.md for why nothing committed is lost.
/// </summary>
public sealed partial class WebhookDispatcher(IWebhookOutbox outbox, StorageBackend storage, WebhookSender sender, WebhookSettings settings, TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    const int FanOutBatch = 1000;
    const int FanOutRoundsPerWake = 8;

    static readonly System.Collections.Concurrent.ConcurrentDictionary<IWebhookOutbox, byte> Outboxes = new();

    static WebhookDispatcher() => Domain.Telemetry.RevOpsMeters.Meter.CreateObservableGauge("revops.webhook.backlog",
        () => Outboxes.Keys.Sum(o => o.Backlog()), "{delivery}", "Webhook deliveries not yet made (pending, including ones waiting to retry).");

    readonly ChangeSignal _wake = new();
    readonly InFlightTasks _running = new();

    /// <summary>Look now rather than at the next poll: for deliveries queued without a change (test pings, redeliveries).</summary>
    public void Wake() => _wake.Pulse();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Outboxes.TryAdd(outbox, 0);
        using var unregister = stoppingToken.Register(() => Outboxes.TryRemove(outbox, out _));
        bool full = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before looking, so a change committed while we work wakes the next wait.
            var changed = storage.Changes.NextAsync();
            var finished = _wake.NextAsync();
            var wait = Poll;
            try
            {
                wait = await RunOnceAsync(full, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogFailed(e);
            }
            full = true;
            if (wait <= TimeSpan.Zero) continue;
            try
            {
                // Only a commit's wake may skip looking for due deliveries; Wake() and a finished attempt never do.
                full = await Task.WhenAny(changed, finished, Task.Delay(wait, time, stoppingToken)) != changed || finished.IsCompleted;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
        await _running.WhenAllAsync();
    }

    /// <summary>When the last full pass decided to look again (its wait ends then).</summary>
    DateTime _lookAgainAt = DateTime.MinValue;

    /// <summary>
    /// One pass; returns how long to wait before the next (zero: go again at once). A pass woken by a commit (not
    /// <paramref name="full"/>) that fanned nothing out has no new delivery to look for: it keeps the last pass's wait
    /// instead of reading the next due time again, so a durable write costs one read here rather than two (issue 25).
    /// </summary>
    async Task<TimeSpan> RunOnceAsync(bool full, CancellationToken ct)
    {
        bool moreToFanOut = false, fannedOut = false;
        for (int round = 0; round < FanOutRoundsPerWake && outbox.HasChangesToFanOut(); round++)
        {
            await outbox.FanOutAsync(time.GetUtcNow().UtcDateTime, FanOutBatch, ct);
            moreToFanOut = round == FanOutRoundsPerWake - 1;
            fannedOut = true;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (!full && !fannedOut && now < _lookAgainAt) return _lookAgainAt - now;
        var wait = await DueAsync(now, moreToFanOut, ct);
        _lookAgainAt = now + wait;
        return wait;
    }

    async Task<TimeSpan> DueAsync(DateTime now, bool moreToFanOut, CancellationToken ct)
    {
        int free = settings.Concurrency - _running.Count;
        var due = outbox.NextDue();
        if (due is null) return moreToFanOut ? TimeSpan.Zero : Poll;
        if (due > now) return moreToFanOut ? TimeSpan.Zero : Min(due.Value - now, Poll);
        if (free <= 0) return Poll; // an attempt finishing wakes us

        var claimed = await outbox.ClaimDueAsync(now, now + settings.Lease, free, ct);
        foreach (var delivery in claimed) Start(delivery, ct);
        // Nothing claimable although something is due: it waits behind an earlier event of its
        // record, and that attempt finishing wakes us.
        return moreToFanOut || claimed.Count == free ? TimeSpan.Zero : Poll;
    }

    void Start(DueDelivery delivery, CancellationToken ct) => _running.Track(AttemptAsync(delivery, ct), _wake);

    async Task AttemptAsync(DueDelivery delivery, CancellationToken ct)
    {
        await Task.Yield();
        WebhookSender.Result result;
        try
        {
            result = await sender.SendAsync(delivery, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return; // shutting down: the lease lapses and the next start sends it again
        }
        var at = time.GetUtcNow().UtcDateTime;
        var next = result.Delivered ? null : RetrySchedule.Next(delivery.Attempt, delivery.WindowStart, at, settings, Random.Shared);
        try
        {
            await outbox.RecordAsync(new AttemptOutcome(delivery, result.Delivered, result.StatusCode, result.LatencyMs, result.Error, at, next), CancellationToken.None);
        }
        catch (Exception e)
        {
            LogRecordFailed(e, delivery.Id);
            return;
        }
        if (!result.Delivered && next is null) LogDeadLettered(delivery.Id, delivery.WebhookId, delivery.Attempt, result.Error ?? "");
    }

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook dispatch pass failed; the next pass retries.")]
    partial void LogFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording the outcome of webhook delivery {Delivery} failed; its lease lapses and it is sent again.")]
    partial void LogRecordFailed(Exception error, string delivery);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {Delivery} of {Webhook} dead-lettered after {Attempts} attempts; last error: {Error}")]
    partial void LogDeadLettered(string delivery, string webhook, int attempts, string error);
}
