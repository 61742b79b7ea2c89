using System.CommandLine;
using System.Text.Json;
using RevOps.Domain.Tenancy;
using RevOps.Server.Admin;
using Spectre.Console;

namespace RevOps.Cli.Commands;

internal static class KeyCommand
{
    public static Command Create()
    {
        var command = new Command("key", "Create, list and revoke API keys in the local database.");
        command.Subcommands.Add(CreateKey());
        command.Subcommands.Add(ListKeys());
        command.Subcommands.Add(RevokeKey());
        return command;
    }

    static Option<string> TenantOption() => new("--tenant") { Description = "Tenant id (UUID).", Required = true };

    static Command CreateKey()
    {
        var tenant = TenantOption();
        var scope = new Option<string>("--scope") { Description = "read, write or admin (default write).", DefaultValueFactory = _ => "write" };
        var expires = new Option<DateTime?>("--expires") { Description = "Expiry time (UTC), e.g. 2027-01-01." };
        var user = new Option<string?>("--user") { Description = "The user the key acts as: email, username or User Id (default: the org's oldest active admin)." };
        var data = CommonOptions.Data();
        var command = new Command("create", "Create an API key acting as a user; prints it once as JSON.") { tenant, scope, expires, user, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            if (!ScopeNames.TryParse(result.GetValue(scope), out var scopes)) return CommonOptions.Fail($"scope '{result.GetValue(scope)}' is not read, write or admin.");
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            var expiresAt = result.GetValue(expires) is { } e ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : (DateTime?)null;
            var owner = result.GetValue(user) is { } named
                ? await store.Users.FindAsync(tenantId, named, ct)
                : await store.Users.DefaultUserAsync(tenantId, ct) is { } first ? first
                : new Domain.Errors.CrmError(Domain.Errors.ErrorCodes.NotFound, $"tenant '{tenantId}' has no active user to own the key; create one with `revops user create --tenant {tenantId} --email … --name … --admin`.");
            if (!owner.IsOk) return CommonOptions.Fail(owner.Error.Message);
            var created = await store.Tenants.CreateKeyAsync(tenantId, owner.Value, scopes, expiresAt, Domain.Audit.AuditSource.Cli, ct);
            if (!created.IsOk) return CommonOptions.Fail(created.Error.Message);
            var output = new CreatedKey(created.Value.Key.Id, created.Value.Secret, tenantId.ToString(), ScopeNames.Format(scopes), expiresAt, CreateTenantResponse.StoreKeyMessage);
            Console.WriteLine(JsonSerializer.Serialize(output, CliJson.Default.CreatedKey));
            return 0;
        });
        return command;
    }

    static Command ListKeys()
    {
        var tenant = TenantOption();
        var data = CommonOptions.Data();
        var command = new Command("list", "List a tenant's API keys (never their secrets).") { tenant, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            var now = DateTime.UtcNow;
            var table = new Table().AddColumns("Key id", "Starts with", "Scope", "User", "Created (UTC)", "Last used (UTC)", "Status");
            foreach (var key in await store.TenantStore.ListKeysAsync(tenantId, ct))
            {
                string status = key.RevokedAt is not null ? "revoked" : key.ExpiresAt <= now ? "expired" : "active";
                table.AddRow(key.Id, Markup.Escape(key.Prefix + "…"), ScopeNames.Format(key.Scopes), Markup.Escape(key.UserName ?? "-"), Time(key.CreatedAt), key.LastUsedAt is { } used ? Time(used) : "never", status);
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    static Command RevokeKey()
    {
        var keyId = new Argument<string>("KEYID") { Description = "The key's id (005…), as `revops key list` shows it." };
        var data = CommonOptions.Data();
        var command = new Command("revoke", "Revoke an API key; it stops working at once.") { keyId, data };
        command.SetAction(async (result, ct) =>
        {
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            var revoked = await store.Tenants.RevokeKeyAsync(null, result.GetValue(keyId)!, Domain.Audit.AuditSource.Cli, ct);
            if (!revoked.IsOk) return CommonOptions.Fail(revoked.Error.Message);
            Console.WriteLine($"Revoked key {revoked.Value.Id} of tenant {revoked.Value.Tenant}.");
            return 0;
        });
        return command;
    }

    static string Time(DateTime time) => time.ToString("yyyy-MM-dd HH:mm");
}
