using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>Webhook calls the tests repeat: create one through manage_webhooks, read its delivery log.</summary>
public static class Webhooks
{
    public static async Task<string> CreateAsync(TestTenant tenant, Uri url, string[]? objects = null, string[]? operations = null, string[]? fields = null)
    {
        var created = await tenant.CallOkAsync("manage_webhooks", new Dictionary<string, object?>
        {
            ["action"] = "create", ["url"] = url.ToString(), ["secret"] = WebhookReceiver.Secret,
            ["objects"] = objects, ["operations"] = operations, ["fields"] = fields,
        }.Where(p => p.Value is not null).ToDictionary());
        return created.Str("id");
    }

    public static async Task<JsonElement[]> DeliveriesAsync(TestTenant tenant, string webhookId, string? status = null)
    {
        var args = new Dictionary<string, object?> { ["action"] = "deliveries", ["webhook_id"] = webhookId, ["limit"] = 200 };
        if (status is not null) args["status"] = status;
        var log = await tenant.CallOkAsync("manage_webhooks", args);
        return [.. log.GetProperty("deliveries").EnumerateArray()];
    }

    /// <summary>Polls the delivery log until <paramref name="condition"/> holds.</summary>
    public static async Task<JsonElement[]> WaitForDeliveriesAsync(TestTenant tenant, string webhookId, Func<JsonElement[], bool> condition, TimeSpan timeout, string? status = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var log = await DeliveriesAsync(tenant, webhookId, status);
            if (condition(log)) return log;
            if (DateTime.UtcNow > deadline) Assert.Fail($"delivery log condition not met within {timeout.TotalSeconds} s: {string.Join(" | ", log.Select(d => d.GetRawText()))}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    public static long Seq(this WebhookReceiver.Received received) => received.Body.GetProperty("seq").GetInt64();

    public static string Operation(this WebhookReceiver.Received received) => received.Body.Str("operation");

    public static string RecordId(this WebhookReceiver.Received received) => received.Body.Str("recordId");
}
