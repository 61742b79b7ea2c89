using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;

namespace RevOps.Server.Webhooks;

/// <summary>The test action: queue a ping, wake the dispatcher and wait (up to one attempt's timeout) for how its first attempt went.</summary>
public sealed class WebhookTestRun(WebhookService webhooks, WebhookDispatcher dispatcher, WebhookSettings settings, TimeProvider time)
{
    static readonly TimeSpan Step = TimeSpan.FromMilliseconds(25);

    public async Task<CrmResult<WebhookDelivery>> RunAsync(Caller caller, string? webhookId, CancellationToken ct)
    {
        var queued = await webhooks.TestAsync(caller, webhookId, ct);
        if (!queued.IsOk) return queued.Error;
        dispatcher.Wake();
        var deadline = time.GetUtcNow() + settings.AttemptTimeout + TimeSpan.FromSeconds(2);
        while (true)
        {
            var current = await webhooks.GetDeliveryAsync(caller, queued.Value, ct);
            if (!current.IsOk) return current.Error;
            var d = current.Value;
            if (d.Status != DeliveryStatus.Pending || d.LastStatusCode is not null || d.LastError is not null || time.GetUtcNow() >= deadline) return d;
            await Task.Delay(Step, time, ct);
        }
    }
}
