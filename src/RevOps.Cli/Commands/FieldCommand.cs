using System.CommandLine;
using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using Spectre.Console;

namespace RevOps.Cli.Commands;

/// <summary>`revops field define|list|delete`: a tenant's custom fields, from the shell.</summary>
internal static class FieldCommand
{
    /// <summary>Schema changes from the CLI are attributed to this actor.</summary>
    const string CliActor = "cli";

    public static Command Create()
    {
        var command = new Command("field", "Define, list and delete a tenant's custom fields in the local database.");
        command.Subcommands.Add(Define());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Delete());
        return command;
    }

    static Option<string> TenantOption() => new("--tenant") { Description = "Tenant id (UUID).", Required = true };

    static Command Define()
    {
        var tenant = TenantOption();
        var obj = new Option<string>("--object") { Description = $"Object: {string.Join(", ", StandardObjects.All.Select(o => o.Name))}, or a custom object (Invoice__c).", Required = true };
        var name = new Option<string>("--name") { Description = "API name ending in __c, e.g. Lead_Score__c.", Required = true };
        var type = new Option<string>("--type") { Description = $"One of: {string.Join(", ", CustomFieldTypes.Names)}.", Required = true };
        var label = new Option<string?>("--label") { Description = "Label (default: from the name)." };
        var length = new Option<int?>("--length") { Description = "Text 1-255, LongTextArea 256-131072." };
        var precision = new Option<int?>("--precision") { Description = "Number/Currency/Percent total digits (1-18)." };
        var scale = new Option<int?>("--scale") { Description = "Digits after the decimal point." };
        var values = new Option<string?>("--values") { Description = "Picklist values, comma-separated: \"Gold,Silver,Bronze\"." };
        var required = new Option<bool>("--required") { Description = "Every record must have a value." };
        var defaultValue = new Option<string?>("--default") { Description = "Default for new records, as JSON or plain text (10, true, Gold)." };
        var description = new Option<string?>("--description") { Description = "What the field is for." };
        var externalId = new Option<bool>("--external-id") { Description = "An identifier from another system; upserts can match on it (Text, Email, Number)." };
        var unique = new Option<bool>("--unique") { Description = "No two records may hold the same value (Text, Email, Number)." };
        var referenceTo = new Option<string?>("--reference-to") { Description = "Lookup/MasterDetail: the object it points to (Account, Invoice__c)." };
        var onDelete = new Option<string?>("--on-delete") { Description = "Lookup: clear (default) or restrict." };
        var relationship = new Option<string?>("--relationship-name") { Description = "The parent's name for the children (default: from the plural label)." };
        var data = CommonOptions.Data();
        var command = new Command("define", "Add a custom field (or widen an existing one); prints its definition.")
            { tenant, obj, name, type, label, length, precision, scale, values, required, defaultValue, description, externalId, unique, referenceTo, onDelete, relationship, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            if (await store.TenantStore.GetAsync(tenantId, ct) is null) return CommonOptions.Fail($"no tenant '{tenantId}' in {store.Storage.Location}.");
            var spec = new CustomFieldSpec(result.GetValue(obj)!, result.GetValue(name)!, result.GetValue(type)!, result.GetValue(label),
                result.GetValue(length), result.GetValue(precision), result.GetValue(scale), result.GetValue(required),
                DefaultJson(result.GetValue(defaultValue)), result.GetValue(values)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                result.GetValue(description), result.GetValue(externalId), result.GetValue(unique), result.GetValue(referenceTo), result.GetValue(onDelete), result.GetValue(relationship));
            var caller = new Caller(tenantId, CliActor, Scopes.Read | Scopes.Write | Scopes.Admin, "cli");
            var defined = await store.Schemas.DefineAsync(caller, spec, ct);
            if (!defined.IsOk) return CommonOptions.Fail(defined.Error.Message);
            var field = defined.Value.Field;
            Console.WriteLine($"Defined {defined.Value.Object}.{field.Name} ({Describe(field)}).");
            return 0;
        });
        return command;
    }

    static Command List()
    {
        var tenant = TenantOption();
        var obj = new Option<string?>("--object") { Description = "Only this object's fields." };
        var data = CommonOptions.Data();
        var command = new Command("list", "List a tenant's custom fields.") { tenant, obj, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            var schema = await store.Schemas.GetAsync(tenantId, ct);
            var table = new Table().AddColumns("Object", "API name", "Label", "Type", "Required", "Default");
            foreach (var o in schema.Objects)
            {
                if (result.GetValue(obj) is { } only && !string.Equals(only, o.Name, StringComparison.OrdinalIgnoreCase)) continue;
                foreach (var field in schema.For(o).CustomFields)
                    table.AddRow(o.Name, field.Name, Markup.Escape(field.Label), Markup.Escape(Describe(field)), field.Required ? "yes" : "",
                        Markup.Escape(field.DefaultValue?.ToString() ?? ""));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The same <see cref="CustomFieldRemoval"/> as the console and DELETE /api/custom-fields: refused, changing nothing, while
    /// an automation rule or webhook filter names the field. No confirmation prompt, so scripts can call it; the audit log keeps it.
    /// </summary>
    static Command Delete()
    {
        var tenant = TenantOption();
        var obj = new Option<string>("--object") { Description = "The field's object (Account, Invoice__c).", Required = true };
        var field = new Option<string>("--field") { Description = "The field's API name, e.g. Lead_Score__c.", Required = true };
        var data = CommonOptions.Data();
        var command = new Command("delete", "Delete a custom field and its values in every record (recycle bin included); cannot be undone.") { tenant, obj, field, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            if (await store.TenantStore.GetAsync(tenantId, ct) is null) return CommonOptions.Fail($"no tenant '{tenantId}' in {store.Storage.Location}.");
            var caller = new Caller(tenantId, CliActor, Scopes.Read | Scopes.Write | Scopes.Admin, "cli");
            var deleted = await store.FieldRemoval.DeleteAsync(caller, result.GetValue(obj), result.GetValue(field), ct);
            if (!deleted.IsOk) return CommonOptions.Fail(deleted.Error.Message);
            int cleared = deleted.Value.RecordsCleared;
            Console.WriteLine($"Deleted {deleted.Value.Object}.{deleted.Value.Field}; cleared its value from {cleared} record{(cleared == 1 ? "" : "s")}.");
            return 0;
        });
        return command;
    }

    static string Describe(FieldMetadata field)
    {
        string type = CustomFieldTypes.NameOf(field);
        if (field.Type == FieldType.Reference) return $"{type} to {field.ReferenceTo[0]}{(field.OnDelete == ReferenceDelete.Restrict ? ", restrict" : "")}";
        return field.Type switch
        {
            FieldType.String or FieldType.TextArea => $"{type}({field.Length})",
            FieldType.Double or FieldType.Currency or FieldType.Percent => $"{type}({field.Precision}, {field.Scale})",
            FieldType.Picklist or FieldType.MultiPicklist => $"{type}: {string.Join(", ", field.PicklistValues)}",
            _ => type,
        };
    }

    /// <summary>--default as JSON when it parses (10, true, "x"), otherwise as a string.</summary>
    static JsonElement? DefaultJson(string? text)
    {
        if (text is null) return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text, CliJson.Default.String);
        }
    }
}
