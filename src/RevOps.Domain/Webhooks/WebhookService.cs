using System.Security.Cryptography;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Webhooks;

/// <summary>
/// The rules of webhook subscriptions, shared by MCP, REST and the CLI: admin scope only, a
/// reachable public https URL (or any URL when the operator allows private targets), known
/// objects and operations in filters, and a secret that is shown once.
/// </summary>
public sealed class WebhookService(IWebhookStore store, IWebhookTargetPolicy targets, TimeProvider time, Schema.SchemaService? schemas = null)
{
    public const int MaxPerTenant = 25;
    public const int MaxDeliveriesPage = 200;
    const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static readonly IReadOnlyList<string> Operations =
    [
        ChangeOperations.Created, ChangeOperations.Updated, ChangeOperations.StageChanged, ChangeOperations.Deleted,
        ChangeOperations.Restored, ChangeOperations.Converted, ChangeOperations.Merged,
    ];

    public static string NewEventId() => "evt_" + RandomNumberGenerator.GetString(Base62, 24);

    public async Task<CrmResult<CreatedWebhook>> CreateAsync(Caller caller, WebhookSpec spec, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        var checkedSpec = await CheckAsync(caller, spec, ct);
        if (!checkedSpec.IsOk) return checkedSpec.Error;
        var (url, filter) = checkedSpec.Value;
        var existing = await store.ListAsync(caller.Tenant, ct);
        if (existing.Count >= MaxPerTenant)
            return new CrmError(ErrorCodes.InvalidArgument, $"this org already has {existing.Count} webhooks, the most allowed. Delete one first (manage_webhooks action=delete).");

        var webhook = new Webhook("wh_" + RandomNumberGenerator.GetString(Base62, 20), caller.Tenant, url.AbsoluteUri, filter, Active: true, time.GetUtcNow().UtcDateTime);
        string secret = spec.Secret ?? "whsec_" + RandomNumberGenerator.GetString(Base62, 32);
        await store.CreateAsync(webhook, secret, ct);
        return new CreatedWebhook(webhook, secret);
    }

    /// <summary>
    /// Changes where a subscription sends and what it sends (URL, objects, operations, fields), by the create's rules; the secret
    /// and the delivery log stay, and events already queued go to the new URL.
    /// </summary>
    public async Task<CrmResult<Webhook>> UpdateAsync(Caller caller, string? id, WebhookSpec spec, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        if (string.IsNullOrWhiteSpace(id)) return RequiredWebhookId();
        if (await store.GetAsync(caller.Tenant, id.Trim(), ct) is not { } webhook) return WebhookNotFound(id);
        if (spec.Secret is not null) return new CrmError(ErrorCodes.InvalidArgument, "a webhook's secret cannot be changed; delete the webhook and create it again for a new secret.", "secret");
        var checkedSpec = await CheckAsync(caller, spec, ct);
        if (!checkedSpec.IsOk) return checkedSpec.Error;
        var updated = webhook with { Url = checkedSpec.Value.Url.AbsoluteUri, Filter = checkedSpec.Value.Filter };
        return await store.UpdateAsync(updated, ct) ? updated : WebhookNotFound(id);
    }

    async Task<CrmResult<(Uri Url, WebhookFilter Filter)>> CheckAsync(Caller caller, WebhookSpec spec, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(spec.Url))
            return new CrmError(ErrorCodes.RequiredFieldMissing, "url is required: the https address that receives the events, e.g. https://hooks.example.com/revops.", "url");
        if (!Uri.TryCreate(spec.Url.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            return new CrmError(ErrorCodes.InvalidArgument, $"url '{spec.Url}' is not an absolute http(s) URL. Send one like https://hooks.example.com/revops.", "url");
        if (url.UserInfo.Length > 0)
            return new CrmError(ErrorCodes.InvalidArgument, "url must not carry a user name or password; the signature header authenticates RevOps to the receiver.", "url");
        if (spec.Secret is { } given && (given.Length < 16 || given.Length > 256))
            return new CrmError(ErrorCodes.InvalidArgument, $"secret must be 16 to 256 characters; {given.Length} were sent. Leave it out to get a generated one.", "secret");

        var objects = NormalizeObjects(spec.Objects, schemas is null ? Schema.TenantSchema.Standard : await schemas.GetAsync(caller.Tenant, ct));
        if (!objects.IsOk) return objects.Error;
        var operations = NormalizeOperations(spec.Operations);
        if (!operations.IsOk) return operations.Error;
        var fields = spec.Fields is { Count: > 0 } f ? f.Select(x => x.Trim()).Where(x => x.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList() : null;

        if (await targets.CheckAsync(url, ct) is { } refused) return refused;
        return (url, new WebhookFilter(objects.Value, operations.Value, fields is { Count: > 0 } ? fields : null));
    }

    public async Task<CrmResult<IReadOnlyList<Webhook>>> ListAsync(Caller caller, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        return CrmResult<IReadOnlyList<Webhook>>.Ok(await store.ListAsync(caller.Tenant, ct));
    }

    public async Task<CrmResult<string>> DeleteAsync(Caller caller, string? id, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        if (string.IsNullOrWhiteSpace(id)) return RequiredWebhookId();
        return await store.DeleteAsync(caller.Tenant, id.Trim(), ct) ? id.Trim() : WebhookNotFound(id);
    }

    /// <summary>Queues a test ping (operation "test", no record) for immediate delivery; returns its event id.</summary>
    public async Task<CrmResult<string>> TestAsync(Caller caller, string? id, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        if (string.IsNullOrWhiteSpace(id)) return RequiredWebhookId();
        var webhook = await store.GetAsync(caller.Tenant, id.Trim(), ct);
        if (webhook is null) return WebhookNotFound(id);
        var now = time.GetUtcNow().UtcDateTime;
        string eventId = NewEventId();
        string payload = WebhookPayload.Build(eventId, webhook.Id, null, null, WebhookPayload.TestOperation, null, now, caller.ActorId, caller.ActorName, caller.Channel, "{}");
        await store.EnqueueAsync(caller.Tenant, webhook.Id, eventId, WebhookPayload.TestOperation, payload, now, ct);
        return eventId;
    }

    public async Task<CrmResult<WebhookDelivery>> RedeliverAsync(Caller caller, string? deliveryId, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        if (string.IsNullOrWhiteSpace(deliveryId))
            return new CrmError(ErrorCodes.RequiredFieldMissing, "delivery_id is required, e.g. evt_8Hq2… from the deliveries list.", "delivery_id");
        var current = await store.GetDeliveryAsync(caller.Tenant, deliveryId.Trim(), ct);
        if (current is null)
            return new CrmError(ErrorCodes.NotFound, $"no webhook delivery '{deliveryId}' in this org. List deliveries to find its id (evt_…).", "delivery_id");
        if (current.Status == DeliveryStatus.Pending)
            return new CrmError(ErrorCodes.Conflict, $"delivery '{current.Id}' is still pending (attempt {current.Attempts}, next at {current.NextAttemptAt:O}); it is retried on its own.", "delivery_id");
        var queued = await store.RedeliverAsync(caller.Tenant, current.Id, time.GetUtcNow().UtcDateTime, ct);
        return queued is null ? new CrmError(ErrorCodes.NotFound, $"no webhook delivery '{deliveryId}' in this org.", "delivery_id") : queued;
    }

    public async Task<CrmResult<WebhookDelivery>> GetDeliveryAsync(Caller caller, string deliveryId, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        var found = await store.GetDeliveryAsync(caller.Tenant, deliveryId, ct);
        return found is null ? new CrmError(ErrorCodes.NotFound, $"no webhook delivery '{deliveryId}' in this org.", "delivery_id") : found;
    }

    public async Task<CrmResult<IReadOnlyList<WebhookDelivery>>> DeliveriesAsync(Caller caller, string? id, string? status, int limit, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        if (string.IsNullOrWhiteSpace(id)) return RequiredWebhookId();
        if (status is not null && !DeliveryStatus.All.Contains(status))
            return new CrmError(ErrorCodes.InvalidArgument, $"status '{status}' is not a delivery status. Send one of: {string.Join(", ", DeliveryStatus.All)}.", "status");
        if (limit is < 1 or > MaxDeliveriesPage)
            return new CrmError(ErrorCodes.InvalidArgument, $"limit must be 1 to {MaxDeliveriesPage}; {limit} was sent.", "limit");
        if (await store.GetAsync(caller.Tenant, id.Trim(), ct) is null) return WebhookNotFound(id);
        return CrmResult<IReadOnlyList<WebhookDelivery>>.Ok(await store.ListDeliveriesAsync(caller.Tenant, id.Trim(), status, limit, ct));
    }

    static CrmError? NotAdmin(Caller caller) => caller.Scopes.HasFlag(Scopes.Admin)
        ? null
        : new CrmError(ErrorCodes.InsufficientAccess, "Managing webhooks needs an API key with the admin scope.");

    static CrmError RequiredWebhookId() =>
        new(ErrorCodes.RequiredFieldMissing, "webhook_id is required, e.g. wh_3kX9… from the list action.", "webhook_id");

    static CrmError WebhookNotFound(string id) =>
        new(ErrorCodes.NotFound, $"no webhook '{id}' in this org. List webhooks to see their ids (wh_…).", "webhook_id");

    /// <summary>The object names as the tenant's schema spells them (a custom object of the tenant included).</summary>
    static CrmResult<IReadOnlyList<string>?> NormalizeObjects(IReadOnlyList<string>? names, Schema.TenantSchema schema)
    {
        if (names is not { Count: > 0 }) return CrmResult<IReadOnlyList<string>?>.Ok(null);
        var result = new List<string>();
        foreach (var name in names)
        {
            if (!schema.TryGetObject(name.Trim(), out var obj))
                return new CrmError(ErrorCodes.InvalidArgument, $"objects: '{name}' is not an object. Send any of: {string.Join(", ", schema.Objects.Select(o => o.Name))}.", "objects");
            if (!result.Contains(obj.Name)) result.Add(obj.Name);
        }
        return result;
    }

    static CrmResult<IReadOnlyList<string>?> NormalizeOperations(IReadOnlyList<string>? names)
    {
        if (names is not { Count: > 0 }) return CrmResult<IReadOnlyList<string>?>.Ok(null);
        var result = new List<string>();
        foreach (var name in names)
        {
            string op = name.Trim().ToLowerInvariant();
            if (!Operations.Contains(op))
                return new CrmError(ErrorCodes.InvalidArgument, $"operations: '{name}' is not an operation. Send any of: {string.Join(", ", Operations)}.", "operations");
            if (!result.Contains(op)) result.Add(op);
        }
        return result;
    }
}

/// <summary>What a caller asks for when creating a webhook; null lists mean "every".</summary>
public sealed record WebhookSpec(string? Url, string? Secret, IReadOnlyList<string>? Objects, IReadOnlyList<string>? Operations, IReadOnlyList<string>? Fields);
