using System.Text.Json;
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
public sealed class ChangeTools(ChangeService changes, ChangeUndo undo, Domain.Schema.SchemaService schemas) : IToolArea
{
    const string IdHelp = "Record Id, 15 or 18 characters, e.g. \"003…\" as a search or list_changes returned it.";

    public IEnumerable<CrmTool> Tools()
    {
        yield return Read("list_changes", "List changes",
            "The change log, oldest first: every create, update, delete, restore, conversion and merge from any channel, with seq, time, fields before and after, " +
            "actor {Id, Name} and channel. A record's history: Id; follow along: since_seq; undo one: undo_change. E.g. {\"actor\":\"Tom\",\"since\":\"2026-12-01T00:00:00Z\"}",
            new ToolSchema()
                .Param("since_seq", "integer", "After this seq (the lastSeq of an earlier call).", minimum: 0)
                .Param("since", "string", "At or after this time (ISO 8601).")
                .ObjectParam(required: false)
                .Param("Id", "string", "One record's changes, deleted records too.")
                .Param("operation", "string", null, allowed: ChangeService.Operations)
                .Param("actor", "string", "A user's name, email or Id.")
                .Param("limit", "integer", $"Default {ChangeService.DefaultLimit}.", minimum: 1, maximum: ChangeService.MaxLimit)
                .Param(PageCursor.Argument, "string", "nextCursor of the previous page (same filters)."),
            ListAsync);

        // Listed only with ?toolsets=changes or all (list_changes with Id answers the same); kept for the clients that call it.
        yield return Read("get_record_history", "Get record history",
            "Every version of one record, oldest first: who changed it, when, and what (fields before and after); recycle bin too. E.g. {\"Id\":\"006…\"}",
            new ToolSchema().Param("Id", "string", null, required: true).ObjectParam(required: false),
            HistoryAsync);

        yield return Destructive("undo_change", "Undo change",
            "Revert one change (its seq) as a new change of yours: an update's fields go back (or only fields), a delete is restored, a create is deleted. " +
            "Later edits of the same fields are conflicts: the answer lists them; force overwrites them. E.g. {\"seq\":42,\"fields\":[\"Amount\"]}",
            new ToolSchema()
                .Param("seq", "integer", null, required: true, minimum: 1)
                .Param("fields", "array", "Only these fields of an update.", items: "string")
                .Param("force", "boolean", "Overwrite later changes to the same fields.")
                .Param("dry_run", "boolean", "Preview, with any conflicts; write nothing."),
            UndoAsync).Confirming(AskUndoAsync);
    }

    /// <summary>A forced undo that will overwrite later changes, said for the user to confirm; null for any other call.</summary>
    async ValueTask<string?> AskUndoAsync(Domain.Tenancy.Caller caller, ToolArguments args, CancellationToken ct)
    {
        if (args.Bool("force") is not { IsOk: true, Value: true } || args.Int("seq", 0) is not { IsOk: true } seq) return null;
        var fields = args.StringList("fields");
        if (!fields.IsOk) return null;
        var preview = await undo.UndoAsync(caller, seq.Value, force: true, dryRun: true, ct, fields.Value);
        if (!preview.IsOk || preview.Value.Conflicts.Count == 0) return null;
        var outcome = preview.Value;
        return $"Undo change #{outcome.Undone.Seq} on {outcome.Record.Object.Name} '{outcome.Record.DisplayName ?? outcome.Record.Id}', overwriting later changes to " +
            $"{string.Join(", ", outcome.Conflicts.Select(c => c.Field).Distinct())}?";
    }

    async ValueTask<ModelContextProtocol.Protocol.CallToolResult> ListAsync(Domain.Tenancy.Caller caller, ToolArguments args, CancellationToken ct)
    {
        var sinceSeq = args.Int("since_seq", 0);
        if (!sinceSeq.IsOk) return ToolResults.Error(sinceSeq.Error);
        var since = TimeArgument(args, "since");
        if (!since.IsOk) return ToolResults.Error(since.Error);
        var limit = args.Int("limit", ChangeService.DefaultLimit);
        if (!limit.IsOk) return ToolResults.Error(limit.Error);
        var obj = args.Has(ObjectArgument.Name) ? ObjectArgument.Read(args, await schemas.GetAsync(caller.Tenant, ct)) : CrmResult<ObjectMetadata>.Ok(null!);
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
        var obj = ObjectArgument.Read(args, await schemas.GetAsync(caller.Tenant, ct), id.Value);
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
}
