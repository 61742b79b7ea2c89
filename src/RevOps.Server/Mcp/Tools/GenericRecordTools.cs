using System.Text.Json;
using ModelContextProtocol.Protocol;
using RevOps.Domain;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Writes;
using RevOps.Server.Json;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>describe / get / create / update / delete / restore for every object, including its custom fields.</summary>
public sealed class GenericRecordTools(RecordService records, SchemaService schemas, RecycleBin bin, Domain.Changes.ChangeService changes, RecordTree tree,
    ContentVersionTools fileTools) : IToolArea
{
    /// <summary>The object argument where an Id is sent too: the Id's prefix names the object.</summary>
    const string FromTheId = "Default: from the Id's prefix.";

    public IEnumerable<CrmTool> Tools()
    {
        yield return Read("describe_object", "Describe object",
            "An object's fields (custom ones too) with type, length, required/createable/updateable, picklist values and references, and its child relationships; " +
            "without object, the list of objects. Use it before writing an object you have not used.",
            new ToolSchema().ObjectParam(required: false),
            async (caller, args, ct) =>
            {
                var schema = await schemas.GetAsync(caller.Tenant, ct);
                if (!args.Has(ObjectArgument.Name)) return ToolResults.FromJson(w => DescribeJson.WriteObjectList(w, schema));
                var obj = ObjectArgument.Read(args, await schemas.GetAsync(caller.Tenant, ct));
                if (!obj.IsOk) return ToolResults.Error(obj.Error);
                return ToolResults.FromJson(w => DescribeJson.WriteObject(w, schema.For(obj.Value), schema));
            });

        yield return Read("get_record", "Get record",
            "Get one record of any object by Id (001 Account, 003 Contact, 00Q Lead, 006 Opportunity, 00T Task, 00U Event, 005 User); as_of: as it was at a past time. " +
            "ContentVersion (068): fields [\"TextContent\"] reads the file.",
            new ToolSchema().Param("Id", "string", null, required: true).ObjectParam(required: false, FromTheId, StandardObjects.ContentVersion).FieldsParam()
                .Param("as_of", "string", "ISO 8601 time."),
            async (caller, args, ct) =>
            {
                var target = await TargetAsync(caller.Tenant, args, ct);
                if (!target.IsOk) return ToolResults.Error(target.Error);
                bool file = target.Value.Schema.Object == StandardObjects.ContentVersion;
                var fields = FieldSelection.Read(args, target.Value.Schema, file ? Files.FileText.Field : null);
                if (!fields.IsOk) return ToolResults.Error(fields.Error);
                var asOf = ChangeTools.TimeArgument(args, "as_of");
                if (!asOf.IsOk) return ToolResults.Error(asOf.Error);
                var record = asOf.Value is { } at
                    ? await changes.AsOfAsync(caller, target.Value.Schema.Object, target.Value.Id, at, ct)
                    : await records.GetAsync(caller, target.Value.Schema.Object, target.Value.Id, ct);
                if (!record.IsOk) return ToolResults.Error(record.Error);
                if (file && fields.Value?.Contains(Files.FileText.Field) == true) return await fileTools.WithTextAsync(caller, record.Value, fields.Value, ct);
                return ToolResults.Record(record.Value, fields.Value);
            });

        yield return Create("create_record", "Create record",
            "Create a record of any object (Leads, Events…), with children nested under their relationship name (an Account's Contacts, Opportunities, Tasks) in one transaction. " +
            "E.g. {\"object\":\"Account\",\"fields\":{\"Name\":\"Globex\",\"Contacts\":[{\"LastName\":\"Ng\",\"Title\":\"CFO\"}]}}. " +
            "A file: ContentVersion with PathOnClient, VersionData (base64 or https URL), FirstPublishLocationId.",
            new ToolSchema().ObjectParam(required: true, null, StandardObjects.ContentVersion)
                .Param("fields", "object", "By API name, __c fields too.", required: true)
                .WriteOptions(duplicates: true),
            async (caller, args, ct) =>
            {
                var obj = ObjectArgument.Read(args, await schemas.GetAsync(caller.Tenant, ct));
                if (!obj.IsOk) return ToolResults.Error(obj.Error);
                if (args.Object("fields") is { IsOk: true, Value: { } nested } && RecordTreeTool.HasChildren(obj.Value, nested))
                {
                    var treeOptions = WriteArguments.Read(args);
                    if (!treeOptions.IsOk) return ToolResults.Error(treeOptions.Error);
                    return await RecordTreeTool.CreateAsync(tree, caller, obj.Value, nested, treeOptions.Value, ct);
                }
                var input = FieldsArgument(args);
                if (!input.IsOk) return ToolResults.Error(input.Error);
                if (obj.Value == StandardObjects.ContentVersion) return await fileTools.CreateAsync(caller, input.Value, ct);
                var options = WriteArguments.Read(args);
                if (!options.IsOk) return ToolResults.Error(options.Error);
                return ToolResults.FromOutcome(await records.CreateAsync(caller, obj.Value, input.Value, options.Value, ct));
            });

        yield return Update("update_record", "Update record",
            "Change fields of any record: its Id and only the fields to change (null clears one). E.g. {\"Id\":\"00Q…\",\"fields\":{\"Status\":\"Working - Contacted\"}}",
            new ToolSchema().Param("Id", "string", null, required: true).ObjectParam(required: false, FromTheId)
                .Param("fields", "object", "By API name.", required: true)
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

        yield return BinTool("delete_record", "Delete or restore record",
            $"Move a record to the recycle bin for {bin.RetentionDays} days with what depends on it (an Account's Contacts, Opportunities and their activities; " +
            "a record's tasks and events); restore: true brings one back with them (find_records deleted: true lists the bin). E.g. {\"Id\":\"001…\",\"dry_run\":true}",
            deletes: true).Confirming(AskDeleteAsync);

        // Listed only with ?toolsets=records or all (delete_record with restore: true does the same); kept for the clients that call it.
        yield return BinTool("restore_record", "Restore record",
            "Bring a deleted record back from the recycle bin, with the records deleted along with it. E.g. {\"Id\":\"001…\"}", deletes: false);
    }

    const string Restore = "restore";

    /// <param name="deletes">delete_record (which restores with restore: true) or restore_record.</param>
    CrmTool BinTool(string name, string title, string description, bool deletes)
    {
        var schema = new ToolSchema().Param("Id", "string", null, required: true).ObjectParam(required: false, FromTheId);
        if (deletes) schema.Param(Restore, "boolean", "Bring a deleted record back instead.");
        schema.Param(WriteArguments.DryRun, "boolean", "List what would go along; change nothing.");
        return Destructive(name, title, description, schema,
            async (caller, args, ct) =>
            {
                var target = await TargetAsync(caller.Tenant, args, ct);
                if (!target.IsOk) return ToolResults.Error(target.Error);
                var dryRun = args.Bool(WriteArguments.DryRun);
                if (!dryRun.IsOk) return ToolResults.Error(dryRun.Error);
                var restore = args.Bool(Restore);
                if (!restore.IsOk) return ToolResults.Error(restore.Error);
                var obj = target.Value.Schema.Object;
                bool deleting = !restore.Value && deletes;
                var result = deleting
                    ? await bin.DeleteAsync(caller, obj, target.Value.Id, dryRun.Value, ct)
                    : await bin.RestoreAsync(caller, obj, target.Value.Id, dryRun.Value, ct);
                return result.IsOk ? BinResult(result.Value, deleting) : ToolResults.Error(result.Error);
            });
    }

    /// <summary>A delete that takes other records with it, said for the user to confirm; null for a restore or a delete of one record alone.</summary>
    async ValueTask<string?> AskDeleteAsync(Domain.Tenancy.Caller caller, ToolArguments args, CancellationToken ct)
    {
        if (args.Bool(Restore) is not { IsOk: true, Value: false }) return null;
        var target = await TargetAsync(caller.Tenant, args, ct);
        if (!target.IsOk) return null;
        var preview = await bin.DeleteAsync(caller, target.Value.Schema.Object, target.Value.Id, dryRun: true, ct);
        if (!preview.IsOk || preview.Value.Cascaded.Count == 0) return null;
        var record = preview.Value.Record;
        string along = string.Join(", ", preview.Value.Cascaded.GroupBy(r => r.Object.Name).Select(g => $"{g.Count()} {g.Key}"));
        return $"Delete {record.Object.Name} '{record.DisplayName ?? record.Id}' and the {preview.Value.Cascaded.Count} records that go with it ({along})? " +
            $"All of them stay restorable for {bin.RetentionDays} days.";
    }

    readonly record struct Target(ObjectSchema Schema, string Id);

    async Task<CrmResult<Target>> TargetAsync(Domain.Tenancy.TenantId tenant, ToolArguments args, CancellationToken ct)
    {
        var id = args.String("Id");
        if (!id.IsOk) return id.Error;
        if (string.IsNullOrWhiteSpace(id.Value)) return new CrmError(ErrorCodes.RequiredFieldMissing, "Id is required. Send the record's 15- or 18-character Id.", "Id");
        var obj = ObjectArgument.Read(args, await schemas.GetAsync(tenant, ct), id.Value);
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
