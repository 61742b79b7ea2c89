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
            "Send the org's record changes to a URL (admin key), signed (X-RevOps-Signature), at least once, in order per record. " +
            "create (url; objects/operations/fields filters; the secret shows once), list, delete/test/deliveries (webhook_id), redeliver (delivery_id). " +
            "E.g. {\"action\":\"create\",\"url\":\"https://hooks.example.com/crm\",\"objects\":[\"Opportunity\"]}",
            new ToolSchema()
                .Param("action", "string", null, required: true, allowed: Actions)
                .Param("url", "string", null)
                .Param("objects", "array", null, items: "string")
                .ParamArray("operations", null, WebhookService.Operations)
                .Param("fields", "array", "Only changes touching these.", items: "string")
                .Param("secret", "string", "16-256 characters (default: generated).")
                .Param("webhook_id", "string", null)
                .Param("delivery_id", "string", null)
                .Param("status", "string", null, allowed: DeliveryStatus.All)
                .Param("limit", "integer", null, minimum: 1, maximum: WebhookService.MaxDeliveriesPage),
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
