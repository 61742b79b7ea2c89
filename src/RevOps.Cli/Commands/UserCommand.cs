using System.CommandLine;
using RevOps.Domain.Audit;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;
using Spectre.Console;

namespace RevOps.Cli.Commands;

/// <summary>revops user create|list|activate|deactivate|set-password: the people of an org, managed by the operator.</summary>
internal static class UserCommand
{
    public static Command Create()
    {
        var command = new Command("user", "Create, list, activate and deactivate a tenant's users, and set their passwords.");
        command.Subcommands.Add(CreateUser());
        command.Subcommands.Add(ListUsers());
        command.Subcommands.Add(SetActive("activate", true));
        command.Subcommands.Add(SetActive("deactivate", false));
        command.Subcommands.Add(SetPassword());
        return command;
    }

    static Option<string> TenantOption() => new("--tenant") { Description = "Tenant id (UUID).", Required = true };

    static Option<string> EmailOption(string description) => new("--email") { Description = description, Required = true };

    static Command CreateUser()
    {
        var tenant = TenantOption();
        var email = EmailOption("The user's email; also the username unless --username is given.");
        var name = new Option<string>("--name") { Description = "Full name, e.g. \"Sarah Johnson\".", Required = true };
        var username = new Option<string?>("--username") { Description = "Username (email-shaped, unique on the server; default the email)." };
        var title = new Option<string?>("--title") { Description = "Job title." };
        var department = new Option<string?>("--department") { Description = "Department." };
        var phone = new Option<string?>("--phone") { Description = "The user's phone; calls it takes are logged as theirs." };
        var mobile = new Option<string?>("--mobile-phone") { Description = "The user's mobile phone; calls it takes are logged as theirs." };
        var timeZone = new Option<string?>("--time-zone") { Description = "Time zone, e.g. Europe/Berlin (default GMT)." };
        var admin = new Option<bool>("--admin") { Description = "Make the user an admin of the org." };
        var data = CommonOptions.Data();
        var command = new Command("create", "Create a user of the org.") { tenant, email, name, username, title, department, phone, mobile, timeZone, admin, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TryTenant(result, tenant, out var tenantId)) return BadTenant(result, tenant);
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            var created = await store.Users.CreateAsync(tenantId, new NewUser(result.GetValue(email), result.GetValue(name))
            {
                Username = result.GetValue(username),
                Title = result.GetValue(title),
                Department = result.GetValue(department),
                Phone = result.GetValue(phone),
                MobilePhone = result.GetValue(mobile),
                TimeZone = result.GetValue(timeZone),
                IsAdmin = result.GetValue(admin),
            }, AuditSource.Cli, ct);
            if (!created.IsOk) return CommonOptions.Fail(created.Error.Message);
            var user = created.Value;
            Console.WriteLine($"Created {(user.IsAdmin ? "admin " : "")}user {user.Name} <{user.Username}> with Id {user.Id}.");
            return 0;
        });
        return command;
    }

    static Command ListUsers()
    {
        var tenant = TenantOption();
        var data = CommonOptions.Data();
        var command = new Command("list", "List the org's users.") { tenant, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TryTenant(result, tenant, out var tenantId)) return BadTenant(result, tenant);
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            var table = new Table().AddColumns("User Id", "Name", "Username", "Title", "Admin", "Active", "Password", "Last login (UTC)");
            foreach (var user in await store.Users.ListAsync(tenantId, ct))
                table.AddRow(user.Id, Markup.Escape(user.Name), Markup.Escape(user.Username), Markup.Escape(user.Record["Title"] as string ?? ""),
                    user.IsAdmin ? "yes" : "", user.IsActive ? "yes" : "no", user.HasPassword ? "set" : "",
                    user.Record["LastLoginDate"] is DateTime login ? login.ToString("yyyy-MM-dd HH:mm") : "never");
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    static Command SetActive(string verb, bool active)
    {
        var tenant = TenantOption();
        var email = EmailOption("The user's email, username or User Id.");
        var data = CommonOptions.Data();
        var command = new Command(verb, active
            ? "Activate a user: their keys work again."
            : "Deactivate a user: their keys stop working at once; their records keep them as owner. The last active admin stays active.") { tenant, email, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TryTenant(result, tenant, out var tenantId)) return BadTenant(result, tenant);
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            var changed = await store.Users.SetActiveAsync(tenantId, result.GetValue(email), active, AuditSource.Cli, ct);
            if (!changed.IsOk) return CommonOptions.Fail(changed.Error.Message);
            Console.WriteLine($"{changed.Value.Name} <{changed.Value.Username}> is {(active ? "active" : "deactivated")}.");
            return 0;
        });
        return command;
    }

    static Command SetPassword()
    {
        var tenant = TenantOption();
        var email = EmailOption("The user's email, username or User Id.");
        var data = CommonOptions.Data();
        var command = new Command("set-password", $"Set a user's password for the console, read from stdin ({UserService.MinPasswordLength} characters or more; one line).") { tenant, email, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TryTenant(result, tenant, out var tenantId)) return BadTenant(result, tenant);
            if (!Console.IsInputRedirected) Console.Error.Write("Password: ");
            string? password = await Console.In.ReadLineAsync(ct);
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            var set = await store.Users.SetPasswordAsync(tenantId, result.GetValue(email), password, AuditSource.Cli, ct);
            if (!set.IsOk) return CommonOptions.Fail(set.Error.Message);
            Console.WriteLine($"Password set for {set.Value.Name} <{set.Value.Username}>.");
            return 0;
        });
        return command;
    }

    static bool TryTenant(ParseResult result, Option<string> tenant, out TenantId id) => TenantId.TryParse(result.GetValue(tenant), out id);

    static int BadTenant(ParseResult result, Option<string> tenant) => CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
}
