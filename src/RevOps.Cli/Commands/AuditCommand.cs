using System.CommandLine;
using System.Globalization;
using RevOps.Domain.Tenancy;
using Spectre.Console;

namespace RevOps.Cli.Commands;

/// <summary>`revops audit --tenant ID`: the tenant's administrative changes, newest first.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id (UUID).", Required = true };
        var limit = new Option<int>("--limit") { Description = "How many entries, newest first (default 50).", DefaultValueFactory = _ => 50 };
        var data = CommonOptions.Data();
        var command = new Command("audit", "Show a tenant's audit log: tenant, key and schema changes with actor and request id.") { tenant, limit, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            if (result.GetValue(limit) is < 1 or > 10_000) return CommonOptions.Fail("--limit must be 1 to 10000.");
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            if (await store.TenantStore.GetAsync(tenantId, ct) is null) return CommonOptions.Fail($"no tenant '{tenantId}'.");
            var table = new Table().AddColumns("Seq", "Time (UTC)", "Actor", "Channel", "Action", "Target", "Details", "Request id", "Key");
            foreach (var entry in await store.Audit.ListAsync(tenantId, null, result.GetValue(limit), ct))
                table.AddRow(entry.Seq.ToString(CultureInfo.InvariantCulture), entry.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    Markup.Escape(entry.ActorId), entry.Channel, entry.Action, Markup.Escape(entry.Target), Markup.Escape(entry.Details), Markup.Escape(entry.RequestId ?? "-"), Markup.Escape(entry.KeyId ?? "-"));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
