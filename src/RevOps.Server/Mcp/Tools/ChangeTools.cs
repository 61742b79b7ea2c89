using System.Text.Json;
using System.Text.Json.Nodes;
using RevOps.Domain.Changes;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Server.Changes;
using RevOps.Server.Json;
using static RevOps.Server.Mcp.Framework.ToolDefinition;
using RevOps.Server.Mcp.Framework;

namespace RevOps.Server.Mcp.Tools;

/// <summary>list_changes, get_record_history and undo_change: the change log, read and reverted by agents.</summary>
public sealed class ChangeTools(ChangeService changes, ChangeUndo undo) : IToolArea
{
    const string IdHelp = "Record Id, 15 or 18 characters, e.g. \"003…\" as a search or list_changes returned it.";

    public IEnumerable<CrmTool> Tools()
    {
        yield return Read("list_changes", "List changes",
            "What changed in this org, oldest first: every create, update, delete, restore, conversion and merge from any channel (MCP, REST, CLI), each with its seq, time, object, recordId, operation, changed fields (before and after), actor {Id, Name}, channel and requestId. Follow along with since_seq = the last seq you saw; narrow with object, Id, operation or actor (\"what did Tom change today\": actor Tom, since today). Undo one with undo_change.",
            new ToolSchema()
                .Param("since_seq", "integer", "Only changes after this sequence number, e.g. 0 for the first change or the lastSeq of an earlier call.", minimum: 0)
                .Param("since", "string", "Only changes made at or after this time (ISO 8601), e.g. \"2026-11-25T09:00:00Z\".")
                .ObjectParam(required: false, extra: " Only changes to records of this object.")
                .Param("Id", "string", "Only changes to this record. " + IdHelp)
                .Param("operation", "string", "Only changes of this kind.", allowed: ChangeService.Operations)
                .Param("actor", "string", "Only changes by this user: a name, email or User Id, e.g. \"Tom\", \"Tom Smykowski\", \"tom@acme.com\" or \"005…\".")
                .Param("limit", "integer", $"Changes per page, 1 to {ChangeService.MaxLimit}, e.g. 50 (default {ChangeService.DefaultLimit}).", minimum: 1, maximum: ChangeService.MaxLimit)
                .Param(PageCursor.Argument, "string", "nextCursor of the previous page; send the same filters with it."),
            ListAsync, ListOutput);

        yield return Read("get_record_history", "Get record history",
            "Every version of one record, oldest first: who changed it (actor, channel, requestId), when, and what (fields before and after), from its creation through updates, deletes and restores. Works for records in the recycle bin too. To see the whole record at a past moment use get_record with as_of.",
            new ToolSchema().Param("Id", "string", IdHelp, required: true).ObjectParam(required: false, extra: " Optional: taken from the Id."),
            HistoryAsync, HistoryOutput);

        yield return Destructive("undo_change", "Undo change",
            "Revert one change (by its seq from list_changes or get_record_history) as a new change made by you: an update gets its previous field values back, a delete is restored from the recycle bin, a create or a restore is deleted (to the recycle bin). If the record changed again since in the same fields, it refuses and names them unless force is true. Lead conversions and merges are refused with what to undo instead. dry_run shows the effect without writing.",
            new ToolSchema()
                .Param("seq", "integer", "The change's sequence number, e.g. 42 from list_changes.", required: true, minimum: 1)
                .Param("force", "boolean", "true: undo even when later changes touched the same fields (their values are overwritten).")
                .Param("fields", "array", "Only these fields of an update go back, e.g. [\"Amount\"]; the others stay.", items: "string")
                .Param("dry_run", "boolean", "true: show what the undo would change and any conflicts, write nothing."),
            UndoAsync, UndoOutput);
    }

    async ValueTask<ModelContextProtocol.Protocol.CallToolResult> ListAsync(Domain.Tenancy.Caller caller, ToolArguments args, CancellationToken ct)
    {
        var sinceSeq = args.Int("since_seq", 0);
        if (!sinceSeq.IsOk) return ToolResults.Error(sinceSeq.Error);
        var since = TimeArgument(args, "since");
        if (!since.IsOk) return ToolResults.Error(since.Error);
        var limit = args.Int("limit", ChangeService.DefaultLimit);
        if (!limit.IsOk) return ToolResults.Error(limit.Error);
        var obj = args.Has(ObjectArgument.Name) ? ObjectArgument.Read(args) : CrmResult<ObjectMetadata>.Ok(null!);
        if (!obj.IsOk) return ToolResults.Error(obj.Error);
        var id = args.String("Id");
        if (!id.IsOk) return ToolResults.Error(id.Error);
        var operation = args.String("operation");
        if (!operation.IsOk) return ToolResults.Error(operation.Error);
        var actor = args.String("actor");
        if (!actor.IsOk) return ToolResults.Error(actor.Error);
        string fingerprint = PageCursor.Fingerprint("list_changes", args);
        var cursorText = args.String(PageCursor.Argument);
        if (!cursorText.IsOk) return ToolResults.Error(cursorText.Error);
        var cursor = ChangeCursor.Decode(cursorText.Value, fingerprint);
        if (!cursor.IsOk) return ToolResults.Error(cursor.Error);

        var filter = new ChangeFilter(cursor.Value ?? sinceSeq.Value, limit.Value, since.Value, obj.Value?.Name, id.Value, operation.Value);
        var result = await changes.ListAsync(caller, filter, ct, actor.Value);
        if (!result.IsOk) return ToolResults.Error(result.Error);
        var (page, more) = (result.Value.Changes, result.Value.HasMore);
        long lastSeq = page.Count > 0 ? page[^1].Seq : filter.AfterSeq;
        return ToolResults.FromJson(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("count", page.Count);
            w.WriteBoolean("hasMore", more);
            w.WriteNumber("lastSeq", lastSeq);
            if (more) w.WriteString("nextCursor", ChangeCursor.Encode(lastSeq, fingerprint));
            w.WriteStartArray("changes");
            foreach (var change in page) ChangeJson.Write(w, change);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    async ValueTask<ModelContextProtocol.Protocol.CallToolResult> HistoryAsync(Domain.Tenancy.Caller caller, ToolArguments args, CancellationToken ct)
    {
        var id = args.String("Id");
        if (!id.IsOk) return ToolResults.Error(id.Error);
        if (string.IsNullOrWhiteSpace(id.Value)) return ToolResults.Error(new CrmError(ErrorCodes.RequiredFieldMissing, "Id is required. Send the record's 15- or 18-character Id.", "Id"));
        var obj = ObjectArgument.Read(args, id.Value);
        if (!obj.IsOk) return ToolResults.Error(obj.Error);
        var history = await changes.HistoryAsync(caller, obj.Value, id.Value, ct);
        if (!history.IsOk) return ToolResults.Error(history.Error);
        return ToolResults.FromJson(w =>
        {
            w.WriteStartObject();
            w.WriteString("object", obj.Value.Name);
            w.WriteString("Id", history.Value[0].RecordId);
            w.WriteNumber("count", history.Value.Count);
            w.WriteStartArray("versions");
            for (int i = 0; i < history.Value.Count; i++)
            {
                w.WriteStartObject();
                w.WriteNumber("version", i + 1);
                ChangeJson.WriteProperties(w, history.Value[i]);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    async ValueTask<ModelContextProtocol.Protocol.CallToolResult> UndoAsync(Domain.Tenancy.Caller caller, ToolArguments args, CancellationToken ct)
    {
        if (!args.Has("seq")) return ToolResults.Error(new CrmError(ErrorCodes.RequiredFieldMissing, "seq is required: the change's sequence number from list_changes, e.g. 42.", "seq"));
        var seq = args.Int("seq", 0);
        if (!seq.IsOk) return ToolResults.Error(seq.Error);
        var force = args.Bool("force");
        if (!force.IsOk) return ToolResults.Error(force.Error);
        var dryRun = args.Bool("dry_run");
        if (!dryRun.IsOk) return ToolResults.Error(dryRun.Error);
        var fields = args.StringList("fields");
        if (!fields.IsOk) return ToolResults.Error(fields.Error);
        var result = await undo.UndoAsync(caller, seq.Value, force.Value, dryRun.Value, ct, fields.Value);
        if (!result.IsOk) return ToolResults.Error(result.Error);
        var outcome = result.Value;
        return ToolResults.FromJson(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("undoneSeq", outcome.Undone.Seq);
            w.WriteString("undoneOperation", outcome.Undone.Operation);
            w.WriteString("operation", outcome.Operation);
            w.WriteBoolean("dryRun", outcome.DryRun);
            if (outcome.DryRun) w.WriteString("message", DryRunAdvice(outcome, force.Value));
            w.WritePropertyName("record");
            RecordJson.WriteCompact(w, outcome.Record);
            w.WritePropertyName("changes");
            ValueJson.WriteChanges(w, outcome.Changes);
            CascadeJson.Write(w, outcome.Cascaded);
            if (outcome.Conflicts.Count > 0)
            {
                w.WriteStartArray("conflicts");
                foreach (var conflict in outcome.Conflicts)
                {
                    w.WriteStartObject();
                    w.WriteString("field", conflict.Field);
                    w.WritePropertyName("then");
                    conflict.Then.WriteTo(w);
                    w.WritePropertyName("now");
                    conflict.Now.WriteTo(w);
                    w.WriteNumber("seq", conflict.Seq);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        });
    }

    /// <summary>What a preview tells to do next: undo as previewed, or, with conflicts and no force, force or undo only the untouched fields.</summary>
    static string DryRunAdvice(UndoOutcome outcome, bool force)
    {
        if (outcome.Conflicts.Count == 0 || force) return "Nothing was written; send the same call without dry_run to undo.";
        string names = string.Join(", ", outcome.Conflicts.Select(c => c.Field));
        string others = outcome.Unconflicted.Count > 0
            ? $", or fields: [{string.Join(", ", outcome.Unconflicted.Select(f => $"\"{f}\""))}] to undo only the fields not changed since"
            : "";
        return $"Nothing was written. {names} changed again since (see conflicts: the value then and now); send force: true without dry_run to overwrite them{others}.";
    }

    /// <summary>An optional ISO 8601 time argument.</summary>
    public static CrmResult<DateTime?> TimeArgument(ToolArguments args, string name)
    {
        var text = args.String(name);
        if (!text.IsOk) return text.Error;
        if (string.IsNullOrWhiteSpace(text.Value)) return CrmResult<DateTime?>.Ok(null);
        if (FieldValues.TryParseDateTime(text.Value.Trim(), out var at)) return at;
        return new CrmError(ErrorCodes.InvalidArgument, $"{name} '{text.Value}' is not an ISO 8601 time. Send e.g. \"2026-11-25T09:00:00Z\".", name);
    }

    static readonly JsonObject ChangeNode = new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["seq"] = new JsonObject { ["type"] = "integer" },
            ["time"] = new JsonObject { ["type"] = "string" },
            ["object"] = new JsonObject { ["type"] = "string" },
            ["recordId"] = new JsonObject { ["type"] = "string" },
            ["operation"] = new JsonObject { ["type"] = "string" },
            ["changes"] = new JsonObject { ["type"] = "object", ["description"] = "{\"Field\": {\"before\": …, \"after\": …}} for each field the change touched." },
            ["actor"] = new JsonObject
            {
                ["type"] = "object",
                ["description"] = "The user that made the change: {\"Id\": \"005…\", \"Name\": …} (Name as at the time; the operator and the CLI by role).",
                ["properties"] = new JsonObject
                {
                    ["Id"] = new JsonObject { ["type"] = "string" },
                    ["Name"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
                },
                ["required"] = new JsonArray("Id", "Name"),
            },
            ["keyId"] = new JsonObject { ["type"] = new JsonArray("string", "null"), ["description"] = "The API key the change came with; null for tokens, the CLI and stdio." },
            ["channel"] = new JsonObject { ["type"] = "string", ["description"] = "mcp, rest, api, cli, …" },
            ["requestId"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
        },
        ["required"] = new JsonArray("seq", "time", "object", "recordId", "operation", "changes", "actor", "channel"),
    };

    static JsonElement Schema(JsonObject schema) => JsonSerializer.SerializeToElement(schema, ServerJson.Default.JsonObject);

    static readonly JsonElement ListOutput = Schema(new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["count"] = new JsonObject { ["type"] = "integer" },
            ["hasMore"] = new JsonObject { ["type"] = "boolean" },
            ["lastSeq"] = new JsonObject { ["type"] = "integer", ["description"] = "Send as since_seq to get only what changes after this page." },
            ["nextCursor"] = new JsonObject { ["type"] = "string" },
            ["changes"] = new JsonObject { ["type"] = "array", ["items"] = ChangeNode.DeepClone() },
        },
        ["required"] = new JsonArray("count", "hasMore", "lastSeq", "changes"),
    });

    static readonly JsonElement HistoryOutput = Schema(new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["object"] = new JsonObject { ["type"] = "string" },
            ["Id"] = new JsonObject { ["type"] = "string" },
            ["count"] = new JsonObject { ["type"] = "integer" },
            ["versions"] = new JsonObject { ["type"] = "array", ["items"] = ChangeNode.DeepClone() },
        },
        ["required"] = new JsonArray("object", "Id", "count", "versions"),
    });

    static readonly JsonElement UndoOutput = Schema(new JsonObject
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["undoneSeq"] = new JsonObject { ["type"] = "integer" },
            ["undoneOperation"] = new JsonObject { ["type"] = "string" },
            ["operation"] = new JsonObject { ["type"] = "string", ["description"] = "What the undo did: updated, deleted or restored." },
            ["dryRun"] = new JsonObject { ["type"] = "boolean" },
            ["record"] = new JsonObject { ["type"] = "object" },
            ["changes"] = new JsonObject { ["type"] = "object" },
            [CascadeJson.Property] = CascadeJson.Schema("Records deleted or restored along with it."),
            ["conflicts"] = new JsonObject
            {
                ["type"] = "array",
                ["description"] = "Fields changed again since: the value the change left (then), the current one (now), and the later change's seq.",
                ["items"] = new JsonObject { ["type"] = "object" },
            },
        },
        ["required"] = new JsonArray("undoneSeq", "undoneOperation", "operation", "dryRun", "record", "changes", CascadeJson.Property),
    });
}
