using System.CommandLine;
using System.Text.Json;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Webhooks;
using RevOps.Server.Webhooks;
using Spectre.Console;

namespace RevOps.Cli.Commands;

/// <summary>
/// `revops webhook create|list|delete|test|deliveries|redeliver` on the local database. Deliveries
/// are sent by the server (revops serve) on the same data directory; test and redeliver queue them.
/// </summary>
internal static class WebhookCommand
{
    const string CliActor = "cli";

    public static Command Create()
    {
        var command = new Command("webhook", "Manage a tenant's webhook subscriptions and delivery log in the local database.");
        command.Subcommands.Add(CreateWebhook());
        command.Subcommands.Add(ListWebhooks());
        command.Subcommands.Add(DeleteWebhook());
        command.Subcommands.Add(TestWebhook());
        command.Subcommands.Add(Deliveries());
        command.Subcommands.Add(Redeliver());
        return command;
    }

    static Option<string> TenantOption() => new("--tenant") { Description = "Tenant id (UUID).", Required = true };

    static Argument<string> WebhookIdArgument() => new("WEBHOOKID") { Description = "The webhook's id (wh_…), as `revops webhook list` shows it." };

    static Command CreateWebhook()
    {
        var tenant = TenantOption();
        var url = new Option<string>("--url") { Description = "The https address that receives events.", Required = true };
        var objects = new Option<string?>("--objects") { Description = "Only these objects, comma-separated: \"Contact,Opportunity\" (default all)." };
        var operations = new Option<string?>("--operations") { Description = $"Only these operations, comma-separated, of: {string.Join(", ", WebhookService.Operations)} (default all)." };
        var fields = new Option<string?>("--fields") { Description = "Only changes touching one of these fields, comma-separated: \"StageName,Amount\"." };
        var secret = new Option<string?>("--secret") { Description = "Signing secret, 16-256 characters (default generated)." };
        var allowPrivate = new Option<bool>("--allow-private") { Description = "Accept a loopback or private-network URL (env REVOPS_ALLOW_PRIVATE_WEBHOOKS=1); the server must allow it too." };
        var data = CommonOptions.Data();
        var command = new Command("create", "Subscribe a URL to the tenant's changes; prints the webhook and its secret (shown only now) as JSON.")
            { tenant, url, objects, operations, fields, secret, allowPrivate, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TryTenant(result, tenant, out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            await using var store = LocalStore.Open(Local(result, data, result.GetValue(allowPrivate)));
            if (await store.TenantStore.GetAsync(tenantId, ct) is null) return CommonOptions.Fail($"no tenant '{tenantId}' in {store.Storage.Location}.");
            var service = store.Webhooks;
            var spec = new WebhookSpec(result.GetValue(url), result.GetValue(secret), List(result.GetValue(objects)), List(result.GetValue(operations)), List(result.GetValue(fields)));
            var created = await service.CreateAsync(Admin(tenantId), spec, ct);
            if (!created.IsOk) return CommonOptions.Fail(created.Error.Message);
            WriteJson(w => WebhookJson.WriteWebhook(w, created.Value.Webhook, created.Value.Secret));
            return 0;
        });
        return command;
    }

    static Command ListWebhooks()
    {
        var tenant = TenantOption();
        var data = CommonOptions.Data();
        var command = new Command("list", "List the tenant's webhooks (never their secrets).") { tenant, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TryTenant(result, tenant, out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            await using var store = LocalStore.Open(Local(result, data, allowPrivate: false));
            var listed = await store.Webhooks.ListAsync(Admin(tenantId), ct);
            if (!listed.IsOk) return CommonOptions.Fail(listed.Error.Message);
            var table = new Table().AddColumns("Webhook id", "URL", "Objects", "Operations", "Fields", "Created (UTC)");
            foreach (var w in listed.Value)
                table.AddRow(w.Id, Markup.Escape(w.Url), Any(w.Filter.Objects), Any(w.Filter.Operations), Any(w.Filter.Fields), w.CreatedAt.ToString("yyyy-MM-dd HH:mm"));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    static Command DeleteWebhook()
    {
        var tenant = TenantOption();
        var id = WebhookIdArgument();
        var data = CommonOptions.Data();
        var command = new Command("delete", "Delete a webhook and its delivery log.") { tenant, id, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TryTenant(result, tenant, out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            await using var store = LocalStore.Open(Local(result, data, allowPrivate: false));
            var deleted = await store.Webhooks.DeleteAsync(Admin(tenantId), result.GetValue(id), ct);
            if (!deleted.IsOk) return CommonOptions.Fail(deleted.Error.Message);
            Console.WriteLine($"Deleted webhook {deleted.Value}.");
            return 0;
        });
        return command;
    }

    static Command TestWebhook()
    {
        var tenant = TenantOption();
        var id = WebhookIdArgument();
        var data = CommonOptions.Data();
        var command = new Command("test", "Queue a test event (operation \"test\") for the webhook; the running server sends it.") { tenant, id, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TryTenant(result, tenant, out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            await using var store = LocalStore.Open(Local(result, data, allowPrivate: false));
            var queued = await store.Webhooks.TestAsync(Admin(tenantId), result.GetValue(id), ct);
            if (!queued.IsOk) return CommonOptions.Fail(queued.Error.Message);
            Console.WriteLine($"Queued test event {queued.Value}; `revops webhook deliveries` shows how it went once revops serve has sent it.");
            return 0;
        });
        return command;
    }

    static Command Deliveries()
    {
        var tenant = TenantOption();
        var id = WebhookIdArgument();
        var status = new Option<string?>("--status") { Description = $"Only this status: {string.Join(", ", DeliveryStatus.All)}." };
        var limit = new Option<int>("--limit") { Description = $"Newest first, at most this many (1-{WebhookService.MaxDeliveriesPage}).", DefaultValueFactory = _ => 50 };
        var data = CommonOptions.Data();
        var command = new Command("deliveries", "The webhook's delivery log: status, attempts, last status code, latency and error.") { tenant, id, status, limit, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TryTenant(result, tenant, out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            await using var store = LocalStore.Open(Local(result, data, allowPrivate: false));
            var listed = await store.Webhooks.DeliveriesAsync(Admin(tenantId), result.GetValue(id), result.GetValue(status), result.GetValue(limit), ct);
            if (!listed.IsOk) return CommonOptions.Fail(listed.Error.Message);
            var table = new Table().AddColumns("Event id", "Seq", "Object", "Record", "Operation", "Status", "Attempts", "Last code", "Latency ms", "Last error");
            foreach (var d in listed.Value)
                table.AddRow(d.Id, d.Seq?.ToString() ?? "", d.Object ?? "", d.RecordId ?? "", d.Operation, d.Status, d.Attempts.ToString(),
                    d.LastStatusCode?.ToString() ?? "", d.LastLatencyMs?.ToString("0.0") ?? "", Markup.Escape(d.LastError ?? ""));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    static Command Redeliver()
    {
        var tenant = TenantOption();
        var id = new Argument<string>("EVENTID") { Description = "The delivery's event id (evt_…), as `revops webhook deliveries` shows it." };
        var data = CommonOptions.Data();
        var command = new Command("redeliver", "Queue a delivered or dead-lettered event again, with a fresh retry window.") { tenant, id, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TryTenant(result, tenant, out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            await using var store = LocalStore.Open(Local(result, data, allowPrivate: false));
            var queued = await store.Webhooks.RedeliverAsync(Admin(tenantId), result.GetValue(id), ct);
            if (!queued.IsOk) return CommonOptions.Fail(queued.Error.Message);
            Console.WriteLine($"Queued {queued.Value.Id} again for webhook {queued.Value.WebhookId}; the running server sends it.");
            return 0;
        });
        return command;
    }

    /// <summary>The local database, with the webhook settings (private targets allowed or not) the server would use.</summary>
    static Server.Hosting.RevOpsOptions Local(ParseResult result, Option<string?> data, bool allowPrivate) =>
        CommonOptions.Local(result, data) with { Webhooks = WebhookOptions.FromEnvironment(allowPrivate) };

    static Caller Admin(TenantId tenant) => new(tenant, CliActor, Scopes.Read | Scopes.Write | Scopes.Admin, "cli");

    static bool TryTenant(ParseResult result, Option<string> tenant, out TenantId id) => TenantId.TryParse(result.GetValue(tenant), out id);

    static string[]? List(string? text) => text?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    static string Any(IReadOnlyList<string>? values) => values is null ? "any" : string.Join(", ", values);

    static void WriteJson(Action<Utf8JsonWriter> write)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true })) write(writer);
        stdout.WriteByte((byte)'\n');
    }
}
