using System.Text.Json;
using ModelContextProtocol.Protocol;
using RevOps.Domain;
using RevOps.Domain.Errors;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Writes;
using RevOps.Server.Json;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>describe / get / create / update / delete / restore for every object, including its custom fields.</summary>
public sealed class GenericRecordTools(RecordService records, SchemaService schemas, RecycleBin bin, Domain.Changes.ChangeService changes, RecordTree tree) : IToolArea
{
    const string IdHelp = "Record Id, 15 or 18 characters; its first 3 characters name the object (001 Account, 003 Contact, 00Q Lead, 006 Opportunity, 00T Task, 00U Event), e.g. \"003…\" as a search returned it.";

    public IEnumerable<CrmTool> Tools()
    {
        yield return Read("describe_object", "Describe object",
            "Schema discovery: with no object, the list of objects; with an object, every field (standard and custom) with its type, length, required/createable/updateable/filterable/sortable, picklist values and references, plus child relationships. Call it before writing to an object you have not used, or to learn custom fields.",
            new ToolSchema().ObjectParam(required: false, extra: " Leave out to list the objects."),
            async (caller, args, ct) =>
            {
                var schema = await schemas.GetAsync(caller.Tenant, ct);
                if (!args.Has(ObjectArgument.Name)) return ToolResults.FromJson(w => DescribeJson.WriteObjectList(w, schema));
                var obj = ObjectArgument.Read(args);
                if (!obj.IsOk) return ToolResults.Error(obj.Error);
                return ToolResults.FromJson(w => DescribeJson.WriteObject(w, schema.For(obj.Value)));
            });

        yield return Read("get_record", "Get record",
            "Get one record of any object by Id (the object is known from the Id). Use fields to get only some fields, and as_of to see the record as it was at a past time (rebuilt from its change history).",
            new ToolSchema().Param("Id", "string", IdHelp, required: true).ObjectParam(required: false, extra: " Optional: taken from the Id.").FieldsParam()
                .Param("as_of", "string", "Optional: the record as it was at this time (ISO 8601), e.g. \"2026-11-25T09:00:00Z\". Before it was created: not found; in the recycle bin then: ENTITY_IS_DELETED."),
            async (caller, args, ct) =>
            {
                var target = await TargetAsync(caller.Tenant, args, ct);
                if (!target.IsOk) return ToolResults.Error(target.Error);
                var fields = FieldSelection.Read(args, target.Value.Schema);
                if (!fields.IsOk) return ToolResults.Error(fields.Error);
                var asOf = ChangeTools.TimeArgument(args, "as_of");
                if (!asOf.IsOk) return ToolResults.Error(asOf.Error);
                var record = asOf.Value is { } at
                    ? await changes.AsOfAsync(caller, target.Value.Schema.Object, target.Value.Id, at, ct)
                    : await records.GetAsync(caller, target.Value.Schema.Object, target.Value.Id, ct);
                return record.IsOk ? ToolResults.Record(record.Value, fields.Value) : ToolResults.Error(record.Error);
            });

        yield return Create("create_record", "Create record",
            "Create a record of any object (use this for Leads and Events, and for fields the create_* tools do not list). fields holds API names and values, custom __c fields included; describe_object tells which are required. Returns the new record with its Id. " +
            "Children nested under their relationship (an Account's Contacts, Opportunities, Tasks, Events) are created with it in one transaction; the answer lists every Id by reference.",
            new ToolSchema().ObjectParam(required: true)
                .Param("fields", "object", "Field values by API name, e.g. {\"Name\": \"Acme\", \"Rating__c\": \"Hot\", \"Contacts\": [{\"LastName\": \"Ng\"}]}.", required: true)
                .WriteOptions(duplicates: true),
            async (caller, args, ct) =>
            {
                var obj = ObjectArgument.Read(args);
                if (!obj.IsOk) return ToolResults.Error(obj.Error);
                if (args.Object("fields") is { IsOk: true, Value: { } nested } && RecordTreeTool.HasChildren(obj.Value, nested))
                {
                    var treeOptions = WriteArguments.Read(args);
                    if (!treeOptions.IsOk) return ToolResults.Error(treeOptions.Error);
                    return await RecordTreeTool.CreateAsync(tree, caller, obj.Value, nested, treeOptions.Value, ct);
                }
                var input = FieldsArgument(args);
                if (!input.IsOk) return ToolResults.Error(input.Error);
                var options = WriteArguments.Read(args);
                if (!options.IsOk) return ToolResults.Error(options.Error);
                return ToolResults.FromOutcome(await records.CreateAsync(caller, obj.Value, input.Value, options.Value, ct));
            });

        yield return Update("update_record", "Update record",
            "Change fields of any record: send its Id and only the fields to change (null clears a field). Returns the updated record.",
            new ToolSchema().Param("Id", "string", IdHelp, required: true).ObjectParam(required: false, extra: " Optional: taken from the Id.")
                .Param("fields", "object", "Field values to change by API name, e.g. {\"Status\": \"Working - Contacted\"}.", required: true)
                .WriteOptions(duplicates: false),
            async (caller, args, ct) =>
            {
                var target = await TargetAsync(caller.Tenant, args, ct);
                if (!target.IsOk) return ToolResults.Error(target.Error);
                var input = FieldsArgument(args);
                if (!input.IsOk) return ToolResults.Error(input.Error);
                var options = WriteArguments.Read(args);
                if (!options.IsOk) return ToolResults.Error(options.Error);
                return ToolResults.FromOutcome(await records.UpdateAsync(caller, target.Value.Schema.Object, target.Value.Id, input.Value, options.Value, ct));
            });

        yield return BinTool("delete_record", "Delete record",
            $"Move a record to the recycle bin; it disappears from reads and searches and can be restored with restore_record for {bin.RetentionDays} days. Deleting an Account also deletes its Contacts, Opportunities and their tasks and events; deleting a Contact, Lead or Opportunity takes its tasks and events (they all come back with it). dry_run shows what would be deleted.",
            "true: list what would be deleted, delete nothing.", deleting: true);

        yield return BinTool("restore_record", "Restore record",
            "Bring a deleted record back from the recycle bin (with the records deleted along with it). find_records with deleted: true lists the recycle bin.",
            "true: list what would be restored, restore nothing.", deleting: false);
    }

    CrmTool BinTool(string name, string title, string description, string dryRunHelp, bool deleting) =>
        Destructive(name, title, description,
            new ToolSchema().Param("Id", "string", IdHelp, required: true).ObjectParam(required: false, extra: " Optional: taken from the Id.")
                .Param(WriteArguments.DryRun, "boolean", dryRunHelp),
            async (caller, args, ct) =>
            {
                var target = await TargetAsync(caller.Tenant, args, ct);
                if (!target.IsOk) return ToolResults.Error(target.Error);
                var dryRun = args.Bool(WriteArguments.DryRun);
                if (!dryRun.IsOk) return ToolResults.Error(dryRun.Error);
                var obj = target.Value.Schema.Object;
                var result = deleting
                    ? await bin.DeleteAsync(caller, obj, target.Value.Id, dryRun.Value, ct)
                    : await bin.RestoreAsync(caller, obj, target.Value.Id, dryRun.Value, ct);
                return result.IsOk ? BinResult(result.Value, deleting) : ToolResults.Error(result.Error);
            });

    readonly record struct Target(ObjectSchema Schema, string Id);

    async Task<CrmResult<Target>> TargetAsync(Domain.Tenancy.TenantId tenant, ToolArguments args, CancellationToken ct)
    {
        var id = args.String("Id");
        if (!id.IsOk) return id.Error;
        if (string.IsNullOrWhiteSpace(id.Value)) return new CrmError(ErrorCodes.RequiredFieldMissing, "Id is required. Send the record's 15- or 18-character Id.", "Id");
        var obj = ObjectArgument.Read(args, id.Value);
        if (!obj.IsOk) return obj.Error;
        var parsed = RecordService.ParseOwnId(obj.Value, id.Value);
        if (!parsed.IsOk) return parsed.Error;
        return new Target(await schemas.GetAsync(tenant, obj.Value, ct), parsed.Value);
    }

    static CrmResult<RecordInput> FieldsArgument(ToolArguments args)
    {
        var fields = args.Object("fields");
        if (!fields.IsOk) return fields.Error;
        if (fields.Value is not { } json)
            return new CrmError(ErrorCodes.RequiredFieldMissing, "fields is required: an object of field values by API name, e.g. {\"LastName\": \"Ng\"}.", "fields");
        var input = new List<KeyValuePair<string, JsonElement>>();
        foreach (var property in json.EnumerateObject())
        {
            if (property.Name == ToolArguments.CustomFields && property.Value.ValueKind == JsonValueKind.Object)
                input.AddRange(property.Value.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value)));
            else
                input.Add(new(property.Name, property.Value));
        }
        return new RecordInput(input);
    }

    static CallToolResult BinResult(BinOutcome outcome, bool deleted) => ToolResults.FromJson(w =>
    {
        w.WriteStartObject();
        w.WriteString("Id", outcome.Record.Id);
        w.WriteString("object", outcome.Record.Object.Name);
        if (outcome.Record.DisplayName is { } name) w.WriteString("Name", name);
        if (outcome.DryRun)
        {
            w.WriteBoolean("dryRun", true);
            w.WriteString("message", $"Nothing was {(deleted ? "deleted" : "restored")}; send the same call without dry_run to do it.");
        }
        else
        {
            w.WriteBoolean(deleted ? "deleted" : "restored", true);
        }
        if (outcome.RestorableUntil is { } until) w.WriteString("restorableUntil", ValueJson.FormatDateTime(until));
        CascadeJson.Write(w, outcome.Cascaded);
        w.WriteEndObject();
    });
}
