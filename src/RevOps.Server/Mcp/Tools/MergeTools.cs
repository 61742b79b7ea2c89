using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using RevOps.Domain.Errors;
using RevOps.Domain.Records;
using RevOps.Domain.Writes;
using RevOps.Server.Json;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>merge_records: duplicates of an Account, Contact or Lead folded into one master record in one transaction.</summary>
public sealed class MergeTools(RecordMerge merge) : IToolArea
{
    public IEnumerable<CrmTool> Tools()
    {
        yield return Destructive("merge_records", "Merge records",
            "Merge 1 or 2 duplicate Accounts, Contacts or Leads into a master record, in one transaction: copies the field values you choose onto the master, moves every record that points at a duplicate (contacts, opportunities, tasks, events, custom references) to the master, and moves the duplicates to the recycle bin (restore_record brings one back, without its former children). dry_run shows what would happen.",
            new ToolSchema().Param(ObjectArgument.Name, "string", "Account, Contact or Lead.", required: true, allowed: RecordMerge.Mergeable.Select(o => o.Name).ToArray())
                .Param("master_id", "string", "The record that stays, e.g. \"003…\" from search_contacts.", required: true)
                .Param("duplicate_ids", "array", "1 or 2 records of the same object to merge into the master, e.g. [\"003…\"].", required: true, items: "string")
                .Param("fields", "object", "Master field values to set: a value, or a duplicate's Id to take that field's value from it, e.g. {\"Phone\": \"003…\", \"Title\": \"CFO\"}. Other fields keep the master's values.")
                .WriteOptions(duplicates: false),
            async (caller, args, ct) =>
            {
                var obj = ObjectArgument.Read(args);
                if (!obj.IsOk) return ToolResults.Error(obj.Error);
                var master = args.String("master_id");
                var duplicates = args.StringList("duplicate_ids");
                var fields = args.Object("fields");
                foreach (var error in new[] { master.Error, duplicates.Error, fields.Error })
                    if (error is not null) return ToolResults.Error(error);
                if (duplicates.Value is null) return ToolResults.Error(CrmError.Required("merge_records", "duplicate_ids"));
                var options = WriteArguments.Read(args);
                if (!options.IsOk) return ToolResults.Error(options.Error);

                var values = fields.Value?.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value)).ToArray() ?? [];
                var result = await merge.MergeAsync(caller, new MergeRequest(obj.Value, master.Value, duplicates.Value, values), options.Value, ct);
                return result.IsOk ? Merged(result.Value) : ToolResults.Error(result.Error);
            },
            Output);
    }

    static readonly JsonElement Output = JsonSerializer.SerializeToElement(new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["master"] = new JsonObject { ["type"] = "object", ["description"] = "The master record after the merge." },
            ["merged"] = new JsonObject { ["type"] = "array", ["description"] = "The duplicates, now in the recycle bin: {Id, Name}.", ["items"] = new JsonObject { ["type"] = "object" } },
            ["moved"] = new JsonObject { ["type"] = "array", ["description"] = "Records repointed to the master: {object, field, count}.", ["items"] = new JsonObject { ["type"] = "object" } },
            ["masterChanges"] = new JsonObject { ["type"] = "object", ["description"] = "{Field: {before, after}} on the master." },
            ["restorableUntil"] = new JsonObject { ["type"] = "string" },
        },
        ["required"] = new JsonArray("master", "merged", "moved"),
    }, ServerJson.Default.JsonObject);

    static CallToolResult Merged(MergeOutcome outcome) => ToolResults.FromJson(w =>
    {
        w.WriteStartObject();
        if (outcome.DryRun)
        {
            w.WriteBoolean("dryRun", true);
            w.WriteString("message", "Nothing was merged; send the same call without dry_run to merge.");
        }
        if (outcome.Replayed) w.WriteBoolean("idempotentReplay", true);
        w.WritePropertyName("master");
        RecordJson.WriteCompact(w, outcome.Master);
        w.WriteStartArray("merged");
        foreach (var duplicate in outcome.Duplicates)
        {
            w.WriteStartObject();
            w.WriteString("Id", duplicate.Id);
            if (duplicate.DisplayName is { } name) w.WriteString("Name", name);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("moved");
        foreach (var group in outcome.Moved.GroupBy(m => (m.Object, m.Field)))
        {
            w.WriteStartObject();
            w.WriteString("object", group.Key.Object);
            w.WriteString("field", group.Key.Field);
            w.WriteNumber("count", group.Count());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WritePropertyName("masterChanges");
        ValueJson.WriteChanges(w, outcome.MasterChanges);
        w.WriteString("restorableUntil", ValueJson.FormatDateTime(outcome.RestorableUntil));
        w.WriteEndObject();
    });
}
