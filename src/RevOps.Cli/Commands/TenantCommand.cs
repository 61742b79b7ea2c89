using System.CommandLine;
using System.Text.Json;
using RevOps.Domain.Users;
using RevOps.Server.Admin;
using RevOps.Server.Hosting;
using Spectre.Console;

namespace RevOps.Cli.Commands;

internal static class TenantCommand
{
    public static Command Create()
    {
        var command = new Command("tenant", "Create and list tenants in the local database.");
        command.Subcommands.Add(CreateTenant());
        command.Subcommands.Add(ListTenants());
        return command;
    }

    static Command CreateTenant()
    {
        var name = new Option<string>("--name") { Description = "Company name.", Required = true };
        var domain = new Option<string?>("--domain") { Description = "Company domain, e.g. acme.com." };
        var tier = new Option<string?>("--tier") { Description = "Subscription tier: free, professional or enterprise (default free)." };
        var adminEmail = new Option<string?>("--admin-email") { Description = "The first user, an admin (default: the tenant's Integration User)." };
        var adminName = new Option<string?>("--admin-name") { Description = "The first user's full name, e.g. \"Sarah Johnson\"." };
        var adminPassword = new Option<bool>("--admin-password-stdin") { Description = "Read the first user's console password from stdin (one line), so they can sign in at once; needs --admin-email." };
        var data = CommonOptions.Data();
        var command = new Command("create", "Create a tenant, its first user (an admin) and an API key acting as that user; prints them as JSON.") { name, domain, tier, adminEmail, adminName, adminPassword, data };
        command.SetAction(async (result, ct) =>
        {
            string? password = null;
            if (result.GetValue(adminPassword))
            {
                // Checked before anything is written: a refused password must not leave a tenant nobody can sign in to.
                if (result.GetValue(adminEmail) is null) return CommonOptions.Fail("--admin-password-stdin needs --admin-email: the password is the first user's, and without an email that user is the Integration User, who does not sign in.");
                if (!Console.IsInputRedirected) Console.Error.Write("Password: ");
                password = await Console.In.ReadLineAsync(ct);
                if (UserService.CheckPassword(password) is { } refused) return CommonOptions.Fail(refused);
            }
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            var created = await store.Tenants.CreateTenantAsync(result.GetValue(name), result.GetValue(domain), result.GetValue(tier), Domain.Audit.AuditSource.Cli, ct,
                result.GetValue(adminEmail), result.GetValue(adminName));
            if (!created.IsOk) return CommonOptions.Fail(created.Error.Message);
            if (password is not null)
            {
                var set = await store.Users.SetPasswordAsync(created.Value.Tenant.Id, created.Value.FirstUser.Id, password, Domain.Audit.AuditSource.Cli, ct);
                if (!set.IsOk) return CommonOptions.Fail($"The tenant {created.Value.Tenant.Id} was created, but its password was refused: {set.Error.Message} Set one with: revops user set-password --tenant {created.Value.Tenant.Id} --email {created.Value.FirstUser.Username}");
            }
            string urls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? RevOpsOptions.DefaultUrls;
            var response = new CreateTenantResponse(created.Value.Tenant.Id.ToString(), created.Value.Secret, created.Value.Key.Id,
                $"{urls.Split(';')[0].TrimEnd('/')}/mcp", CreateTenantResponse.StoreKeyMessage, created.Value.FirstUser.Id, created.Value.FirstUser.Username);
            Console.WriteLine(JsonSerializer.Serialize(response, CliJson.Default.CreateTenantResponse));
            return 0;
        });
        return command;
    }

    static Command ListTenants()
    {
        var data = CommonOptions.Data();
        var command = new Command("list", "List tenants.") { data };
        command.SetAction(async (result, ct) =>
        {
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            var table = new Table().AddColumns("Tenant", "Name", "Domain", "Tier", "Created (UTC)");
            foreach (var tenant in await store.TenantStore.ListAsync(ct))
                table.AddRow(tenant.Id.ToString(), Markup.Escape(tenant.Name), Markup.Escape(tenant.Domain ?? ""), tenant.SubscriptionTier, tenant.CreatedAt.ToString("yyyy-MM-dd HH:mm"));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
