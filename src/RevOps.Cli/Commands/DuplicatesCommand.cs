using System.CommandLine;
using RevOps.Domain.Duplicates;
using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;
using Spectre.Console;

namespace RevOps.Cli.Commands;

/// <summary>revops duplicates rules|set: a tenant's duplicate rules, each off, report (the default) or block.</summary>
internal static class DuplicatesCommand
{
    public static Command Create()
    {
        var command = new Command("duplicates", "Show and set a tenant's duplicate rules (email, name_account, phone, name, website).");
        command.Subcommands.Add(Rules());
        command.Subcommands.Add(Set());
        return command;
    }

    static Option<string> TenantOption() => new("--tenant") { Description = "Tenant id (UUID).", Required = true };

    static Command Rules()
    {
        var tenant = TenantOption();
        var data = CommonOptions.Data();
        var command = new Command("rules", "Show each duplicate rule's action and the objects it checks.") { tenant, data };
        command.SetAction(async (result, ct) =>
        {
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            if (await FindTenantAsync(store, result.GetValue(tenant), ct) is not { } tenantId) return BadTenant(result.GetValue(tenant));
            Print(await store.Duplicates.RulesAsync(tenantId, ct));
            return 0;
        });
        return command;
    }

    static Command Set()
    {
        var tenant = TenantOption();
        var rule = new Option<string>("--rule") { Description = $"The rule: {string.Join(", ", DuplicateRule.All)}.", Required = true };
        var action = new Option<string>("--action") { Description = "off (not checked), report (list possible duplicates) or block (refuse the create).", Required = true };
        var data = CommonOptions.Data();
        var command = new Command("set", "Set one duplicate rule's action; a create's on_duplicate still overrides it.") { tenant, rule, action, data };
        command.SetAction(async (result, ct) =>
        {
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            if (await FindTenantAsync(store, result.GetValue(tenant), ct) is not { } tenantId) return BadTenant(result.GetValue(tenant));
            var set = await store.Duplicates.SetAsync(tenantId, [new(result.GetValue(rule), result.GetValue(action))], ct);
            if (!set.IsOk) return CommonOptions.Fail(set.Error.Message);
            Print(set.Value);
            return 0;
        });
        return command;
    }

    static async Task<TenantId?> FindTenantAsync(LocalStore store, string? text, CancellationToken ct) =>
        TenantId.TryParse(text, out var id) && await store.TenantStore.GetAsync(id, ct) is not null ? id : null;

    static int BadTenant(string? text) => CommonOptions.Fail($"'{text}' is not the id of a tenant here (revops tenant list shows them).");

    static void Print(DuplicateRuleSet rules)
    {
        var table = new Table().AddColumns("Rule", "Action", "Checks new");
        foreach (var rule in DuplicateRule.All)
            table.AddRow(rule, DuplicateRule.Text(rules[rule]), string.Join(", ", StandardObjects.All.Where(o => DuplicateRule.Applies(rule, o)).Select(o => o.Name)));
        AnsiConsole.Write(table);
    }
}
