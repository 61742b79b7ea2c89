using System.CommandLine;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Cli.Commands;

/// <summary>`revops object define`: a tenant's custom objects, from the shell (docs/custom-objects.md).</summary>
internal static class ObjectCommand
{
    const string CliActor = "cli";

    public static Command Create()
    {
        var command = new Command("object", "Define a tenant's custom objects in the local database.");
        command.Subcommands.Add(Define());
        return command;
    }

    static Command Define()
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id (UUID).", Required = true };
        var name = new Argument<string>("name") { Description = "API name ending in __c, e.g. Invoice__c." };
        var label = new Option<string?>("--label") { Description = "Label (default: from the name)." };
        var plural = new Option<string?>("--plural") { Description = "Plural label (default: label + s); the parent's name for the children is made from it (Invoices__r)." };
        var autoNumber = new Option<string?>("--auto-number") { Description = "Name records by number in this format, e.g. \"INV-{0000}\" (default: a Text name sent with each record)." };
        var nameLabel = new Option<string?>("--name-label") { Description = "Label of the Name field (default: label + \" Name\")." };
        var description = new Option<string?>("--description") { Description = "What the object is for." };
        var data = CommonOptions.Data();
        var command = new Command("define", "Define a custom object (or relabel an existing one); prints its key prefix.")
            { tenant, name, label, plural, autoNumber, nameLabel, description, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            if (await store.TenantStore.GetAsync(tenantId, ct) is null) return CommonOptions.Fail($"no tenant '{tenantId}' in {store.Storage.Location}.");
            string? format = result.GetValue(autoNumber);
            var spec = new CustomObjectSpec(result.GetValue(name)!, result.GetValue(label), result.GetValue(plural), format is null ? "Text" : "AutoNumber", format,
                result.GetValue(nameLabel), result.GetValue(description));
            var caller = new Caller(tenantId, CliActor, Scopes.Read | Scopes.Write | Scopes.Admin, "cli");
            var defined = await store.Schemas.DefineObjectAsync(caller, spec, ct);
            if (!defined.IsOk) return CommonOptions.Fail(defined.Error.Message);
            var o = defined.Value;
            Console.WriteLine($"Defined {o.Name} ({o.Label} / {o.PluralLabel}), key prefix {o.KeyPrefix}, names {(o.AutoNumberFormat is null ? "Text" : $"AutoNumber {o.AutoNumberFormat}")}.");
            return 0;
        });
        return command;
    }
}
