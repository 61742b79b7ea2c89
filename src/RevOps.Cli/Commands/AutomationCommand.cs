using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using System.Text.Json;
using RevOps.Domain.Automation;
using RevOps.Domain.Tenancy;
using RevOps.Server.Automation;

namespace RevOps.Cli.Commands;

/// <summary>
/// `revops automation list|create|enable|disable|delete|runs` on the local database. Rules run in the
/// server (revops serve) on the same data; the CLI writes as the tenant's default user, on channel cli.
/// </summary>
internal static class AutomationCommand
{
    public static Command Create()
    {
        var command = new Command("automation", "Manage a tenant's automation rules and read their execution log in the local database.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(CreateRule());
        command.Subcommands.Add(SetEnabled("enable", true));
        command.Subcommands.Add(SetEnabled("disable", false));
        command.Subcommands.Add(Delete());
        command.Subcommands.Add(Runs());
        return command;
    }

    static Option<string> TenantOption() => new("--tenant") { Description = "Tenant id (UUID).", Required = true };

    static Argument<string> RuleIdArgument() => new("RULEID") { Description = "The rule's id (rule_…), as `revops automation list` shows it." };

    static Command List()
    {
        var tenant = TenantOption();
        var data = CommonOptions.Data();
        var command = new Command("list", "List the tenant's rules as JSON.") { tenant, data };
        command.SetAction((result, ct) => RunAsync(result, tenant, data, ct, async (service, caller) =>
        {
            var listed = await service.ListAsync(caller, ct);
            if (!listed.IsOk) return CommonOptions.Fail(listed.Error.Message);
            WriteJson(w => AutomationJson.WriteRules(w, listed.Value));
            return 0;
        }));
        return command;
    }

    static Command CreateRule()
    {
        var tenant = TenantOption();
        var rule = new Option<string?>("--rule") { Description = "The rule as JSON (docs/automation.md)." };
        var file = new Option<string?>("--file") { Description = "A file holding the rule's JSON." };
        var data = CommonOptions.Data();
        var command = new Command("create", "Create a rule from JSON (--rule or --file); prints it as JSON.") { tenant, rule, file, data };
        command.SetAction((result, ct) => RunAsync(result, tenant, data, ct, async (service, caller) =>
        {
            string? text = result.GetValue(rule) ?? (result.GetValue(file) is { } path ? await File.ReadAllTextAsync(path, ct) : null);
            if (text is null) return CommonOptions.Fail("give the rule as --rule '{…}' or --file rule.json.");
            JsonElement json;
            try
            {
                using var document = JsonDocument.Parse(text);
                json = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                return CommonOptions.Fail($"the rule is not valid JSON ({e.Message}).");
            }
            var created = await service.CreateAsync(caller, json, ct);
            if (!created.IsOk) return CommonOptions.Fail(created.Error.Message);
            WriteJson(w => AutomationJson.WriteRule(w, created.Value));
            return 0;
        }));
        return command;
    }

    static Command SetEnabled(string name, bool enabled)
    {
        var tenant = TenantOption();
        var id = RuleIdArgument();
        var data = CommonOptions.Data();
        var command = new Command(name, enabled ? "Turn a rule on; it sees changes committed from now on." : "Turn a rule off.") { tenant, id, data };
        command.SetAction((result, ct) => RunAsync(result, tenant, data, ct, async (service, caller) =>
        {
            var rule = await service.SetEnabledAsync(caller, result.GetValue(id), enabled, ct);
            if (!rule.IsOk) return CommonOptions.Fail(rule.Error.Message);
            Console.WriteLine($"Rule {rule.Value.Id} ({rule.Value.Name}) is {(enabled ? "enabled" : "disabled")}.");
            return 0;
        }));
        return command;
    }

    static Command Delete()
    {
        var tenant = TenantOption();
        var id = RuleIdArgument();
        var data = CommonOptions.Data();
        var command = new Command("delete", "Delete a rule; its runs stay in the log.") { tenant, id, data };
        command.SetAction((result, ct) => RunAsync(result, tenant, data, ct, async (service, caller) =>
        {
            var deleted = await service.DeleteAsync(caller, result.GetValue(id), ct);
            if (!deleted.IsOk) return CommonOptions.Fail(deleted.Error.Message);
            Console.WriteLine($"Deleted rule {deleted.Value}.");
            return 0;
        }));
        return command;
    }

    static Command Runs()
    {
        var tenant = TenantOption();
        var rule = new Option<string?>("--rule-id") { Description = "Only this rule's runs." };
        var status = new Option<string?>("--status") { Description = $"Only runs in this state: {string.Join(", ", AutomationRun.Statuses.All)}." };
        var limit = new Option<int>("--limit") { Description = "How many, newest first.", DefaultValueFactory = _ => 50 };
        var data = CommonOptions.Data();
        var command = new Command("runs", "The execution log as JSON: rule, record, change sequence, outcome, error.") { tenant, rule, status, limit, data };
        command.SetAction((result, ct) => RunAsync(result, tenant, data, ct, async (service, caller) =>
        {
            var runs = await service.RunsAsync(caller, result.GetValue(rule), result.GetValue(status), result.GetValue(limit), ct);
            if (!runs.IsOk) return CommonOptions.Fail(runs.Error.Message);
            WriteJson(w => AutomationJson.WriteRuns(w, runs.Value));
            return 0;
        }));
        return command;
    }

    static async Task<int> RunAsync(ParseResult result, Option<string> tenant, Option<string?> data, CancellationToken ct, Func<AutomationService, Caller, Task<int>> work)
    {
        if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
        await using var store = LocalStore.Open(CommonOptions.Local(result, data));
        if (await store.TenantStore.GetAsync(tenantId, ct) is null) return CommonOptions.Fail($"no tenant '{tenantId}' in {store.Storage.Location}.");
        // A rule writes as the user who made it: from the CLI, the tenant's default user.
        var caller = await store.Users.LocalCallerAsync(tenantId, Scopes.Read | Scopes.Write | Scopes.Admin, "cli", ct);
        if (caller is null) return CommonOptions.Fail($"tenant '{tenantId}' has no active user to own the rule; add one with `revops user create`.");
        return await work(store.Services.GetRequiredService<AutomationService>(), caller);
    }

    static void WriteJson(Action<Utf8JsonWriter> write)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true })) write(writer);
        stdout.WriteByte((byte)'\n');
    }
}
