using RevOps.Domain.Webhooks;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;
using RevOps.Server.Webhooks;

namespace RevOps.Server.Mcp.Tools;

/// <summary>manage_webhooks: one tool for the org's webhook subscriptions and their delivery log (admin scope).</summary>
public sealed class WebhookTools(WebhookService webhooks, WebhookTestRun test, WebhookDispatcher dispatcher) : IToolArea
{
    public const string Name = "manage_webhooks";
    static readonly string[] Actions = ["create", "list", "delete", "test", "deliveries", "redeliver"];

    public IEnumerable<CrmTool> Tools()
    {
        yield return Destructive(Name, "Manage webhooks",
            "Subscribe a URL to the org's record changes and manage those subscriptions. create: url (+ optional objects, operations, fields filters and secret); the " +
            "secret that signs every event (X-RevOps-Signature) is returned only then. list: every webhook. delete: webhook_id. test: sends a ping to webhook_id and " +
            "returns how it went. deliveries: the delivery log of webhook_id (status, attempts, last status code, latency and error; status=dead for dead letters). " +
            "redeliver: delivery_id sends a delivered or dead-lettered event again. Events arrive at least once, in order per record, retried with backoff for 24 h. " +
            "Needs an admin-scope key.",
            new ToolSchema()
                .Param("action", "string", "What to do.", required: true, allowed: Actions)
                .Param("url", "string", "create: the https address that receives events, e.g. \"https://hooks.example.com/revops\".")
                .Param("objects", "array", "create: only changes of these objects, e.g. [\"Contact\", \"Opportunity\"] (default: every object).", items: "string")
                .ParamArray("operations", "create: only these operations (default: every one).", WebhookService.Operations)
                .Param("fields", "array", "create: only changes touching one of these fields, e.g. [\"StageName\", \"Amount\"] (default: any field).", items: "string")
                .Param("secret", "string", "create: your own signing secret, 16-256 characters, e.g. \"s3cr3t-shared-with-receiver\" (default: generated).")
                .Param("webhook_id", "string", "delete, test, deliveries: the webhook, e.g. \"wh_3kX9…\" from list.")
                .Param("delivery_id", "string", "redeliver: the event to send again, e.g. \"evt_8Hq2…\" from deliveries.")
                .Param("status", "string", "deliveries: only this status (default: all).", allowed: DeliveryStatus.All)
                .Param("limit", "integer", $"deliveries: newest first, at most this many, e.g. 20 (default 50, max {WebhookService.MaxDeliveriesPage}).", minimum: 1, maximum: WebhookService.MaxDeliveriesPage),
            async (caller, args, ct) =>
            {
                var action = args.String("action");
                if (action.Error is not null) return ToolResults.Error(action.Error);
                switch (action.Value)
                {
                    case "create":
                        var url = args.String("url");
                        var secret = args.String("secret");
                        var objects = args.StringList("objects");
                        var operations = args.StringList("operations");
                        var fields = args.StringList("fields");
                        foreach (var error in new[] { url.Error, secret.Error, objects.Error, operations.Error, fields.Error })
                            if (error is not null) return ToolResults.Error(error);
                        var created = await webhooks.CreateAsync(caller, new WebhookSpec(url.Value, secret.Value, objects.Value, operations.Value, fields.Value), ct);
                        return created.IsOk ? ToolResults.FromJson(w => WebhookJson.WriteWebhook(w, created.Value.Webhook, created.Value.Secret)) : ToolResults.Error(created.Error);
                    case "list":
                        var listed = await webhooks.ListAsync(caller, ct);
                        return listed.IsOk ? ToolResults.FromJson(w => WebhookJson.WriteWebhooks(w, listed.Value)) : ToolResults.Error(listed.Error);
                    case "delete":
                        var id = args.String("webhook_id");
                        if (id.Error is not null) return ToolResults.Error(id.Error);
                        var deleted = await webhooks.DeleteAsync(caller, id.Value, ct);
                        return deleted.IsOk ? ToolResults.FromJson(w =>
                        {
                            w.WriteStartObject();
                            w.WriteString("deleted", deleted.Value);
                            w.WriteString("message", "The webhook and its delivery log are gone; no more events are sent to it.");
                            w.WriteEndObject();
                        }) : ToolResults.Error(deleted.Error);
                    case "test":
                        var testId = args.String("webhook_id");
                        if (testId.Error is not null) return ToolResults.Error(testId.Error);
                        var run = await test.RunAsync(caller, testId.Value, ct);
                        return run.IsOk ? ToolResults.FromJson(w => WebhookJson.WriteDelivery(w, run.Value)) : ToolResults.Error(run.Error);
                    case "deliveries":
                        var of = args.String("webhook_id");
                        var status = args.String("status");
                        var limit = args.Int("limit", 50);
                        foreach (var error in new[] { of.Error, status.Error, limit.Error })
                            if (error is not null) return ToolResults.Error(error);
                        var log = await webhooks.DeliveriesAsync(caller, of.Value, status.Value, limit.Value, ct);
                        return log.IsOk ? ToolResults.FromJson(w => WebhookJson.WriteDeliveries(w, log.Value)) : ToolResults.Error(log.Error);
                    case "redeliver":
                        var deliveryId = args.String("delivery_id");
                        if (deliveryId.Error is not null) return ToolResults.Error(deliveryId.Error);
                        var queued = await webhooks.RedeliverAsync(caller, deliveryId.Value, ct);
                        if (!queued.IsOk) return ToolResults.Error(queued.Error);
                        dispatcher.Wake();
                        return ToolResults.FromJson(w => WebhookJson.WriteDelivery(w, queued.Value));
                    default:
                        return ToolResults.Error(new Domain.Errors.CrmError(Domain.Errors.ErrorCodes.InvalidArgument,
                            $"{Name}: action '{action.Value}' is not one of {string.Join(", ", Actions)}.", "action"));
                }
            });
    }
}
