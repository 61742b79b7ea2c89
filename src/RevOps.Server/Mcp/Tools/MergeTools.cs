using System.Text.Json;
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
            "Merge 1-2 duplicate Accounts, Contacts or Leads into a master in one transaction: their related records move to the master, the duplicates go to the recycle bin. " +
            "E.g. {\"object\":\"Contact\",\"master_id\":\"003…\",\"duplicate_ids\":[\"003…\"],\"fields\":{\"Phone\":\"003…\"}}",
            new ToolSchema().Param(ObjectArgument.Name, "string", null, required: true, allowed: RecordMerge.Mergeable.Select(o => o.Name).ToArray())
                .Param("master_id", "string", null, required: true)
                .Param("duplicate_ids", "array", null, required: true, items: "string")
                .Param("fields", "object", "Values to set on the master: a value, or a duplicate's Id to take its value.")
                .WriteOptions(duplicates: false),
            async (caller, args, ct) =>
            {
                var request = Read(args);
                if (!request.IsOk) return ToolResults.Error(request.Error);
                var result = await merge.MergeAsync(caller, request.Value.Merge, request.Value.Options, ct);
                return result.IsOk ? Merged(result.Value) : ToolResults.Error(result.Error);
            }).Confirming(AskAsync);
    }

    /// <summary>The merge as a dry run, said in one sentence for the user to confirm; null when it would fail anyway.</summary>
    async ValueTask<string?> AskAsync(Domain.Tenancy.Caller caller, ToolArguments args, CancellationToken ct)
    {
        var request = Read(args);
        if (!request.IsOk) return null;
        var preview = await merge.MergeAsync(caller, request.Value.Merge, request.Value.Options with { DryRun = true, IdempotencyKey = null }, ct);
        if (!preview.IsOk) return null;
        var outcome = preview.Value;
        string names = string.Join(", ", outcome.Duplicates.Select(d => $"'{d.DisplayName ?? d.Id}'"));
        return $"Merge {outcome.Duplicates.Count} {outcome.Master.Object.Name} record(s) ({names}) into '{outcome.Master.DisplayName ?? outcome.Master.Id}'? " +
            $"{outcome.Moved.Count} related record(s) move to it and the duplicates go to the recycle bin.";
    }

    static CrmResult<(MergeRequest Merge, WriteOptions Options)> Read(ToolArguments args)
    {
        var obj = ObjectArgument.Read(args);
        if (!obj.IsOk) return obj.Error;
        var master = args.String("master_id");
        var duplicates = args.StringList("duplicate_ids");
        var fields = args.Object("fields");
        foreach (var error in new[] { master.Error, duplicates.Error, fields.Error })
            if (error is not null) return error;
        if (duplicates.Value is null) return CrmError.Required("merge_records", "duplicate_ids");
        var options = WriteArguments.Read(args);
        if (!options.IsOk) return options.Error;
        var values = fields.Value?.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value)).ToArray() ?? [];
        return (new MergeRequest(obj.Value, master.Value, duplicates.Value, values), options.Value);
    }

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
