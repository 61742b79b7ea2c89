using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;

namespace RevOps.Domain.Automation;

/// <summary>
/// Runs one rule for one change: answers the condition (ISCHANGED/PRIORVALUE from the change, the rest by
/// one SOQL query of the record that also reads the merge fields) and applies the actions through
/// <see cref="RecordService"/>, so a rule's writes obey the same rules, reach the change log and send
/// webhooks like anyone's. Each action writes with the idempotency key automation:{rule}:{seq}:{index}: a
/// run repeated after a crash finds its earlier writes and writes nothing twice.
/// </summary>
public sealed class AutomationExecutor(RecordService records, SoqlService soql, TimeProvider time)
{
    public async Task<RunOutcome> RunAsync(AutomationRule rule, RuleDefinition definition, DueRun run, long turn, bool dryRun, CancellationToken ct)
    {
        if (!SalesforceId.TryNormalize(run.RecordId, out var recordId)) return Failed($"the change names no valid record Id ('{run.RecordId}').");
        var caller = new Caller(rule.Tenant, rule.CreatedBy, Scopes.Read | Scopes.Write, LoopDepth.Channel)
        {
            ActorName = "automation: " + rule.Name,
            RequestId = LoopDepth.RequestId(rule.Id, run.Seq, run.Depth),
        };

        string where = $"Id = '{recordId}'";
        if (definition.Condition is { } condition)
        {
            var resolved = RuleCondition.Resolve(condition, new ChangeFacts(run.Changes));
            if (!resolved.IsOk) return Failed(resolved.Error!.Message);
            where += $" AND ({resolved.Value})";
        }
        var paths = definition.MergePaths;
        string select = paths.Count == 0 ? "Id" : "Id, " + string.Join(", ", paths);
        var found = await soql.QueryAsync(caller, $"SELECT {select} FROM {definition.Object.Name} WHERE {where}", definition.Trigger.SeesDeleted, 0, 1, ct);
        if (!found.IsOk) return Failed("condition: " + found.Error!.Message);
        if (found.Value.Records.Count == 0) return new RunOutcome(AutomationRun.Statuses.Skipped, "The condition is false for this change.", null);
        var values = Flatten(found.Value.Records[0]);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using var w = new Utf8JsonWriter(buffer);
        w.WriteStartArray();
        string? error = null;
        for (int i = 0; i < definition.Actions.Count && error is null; i++)
        {
            var action = definition.Actions[i];
            var options = new WriteOptions(IdempotencyKey: $"automation:{rule.Id}:{run.Seq}:{i}", DryRun: dryRun);
            var input = RecordInput.From(action.Fields.Select(f => KeyValuePair.Create(f.Key, MergeFields.Render(f.Value, values, today))));
            CrmResult<WriteOutcome> outcome;
            ObjectMetadata target;
            switch (action.Type)
            {
                case RuleAction.CreateRecord:
                    target = action.Object!;
                    outcome = await records.CreateAsync(caller, target, input, options, ct);
                    break;
                case RuleAction.UpdateFields:
                    target = action.Object!;
                    string? id = action.Parent is null ? recordId : values.GetValueOrDefault(action.Parent) as string;
                    if (id is null)
                    {
                        Write(w, i, action.Type, target.Name, null, "skipped: the record has no " + action.Parent, null);
                        continue;
                    }
                    outcome = await records.UpdateAsync(caller, target, id, input, options, ct);
                    break;
                default: // assign_owner
                    target = definition.Object;
                    string user = action.Users[(int)(turn % action.Users.Count)];
                    input = RecordInput.From([KeyValuePair.Create("OwnerId", JsonSerializer.SerializeToElement(user, DomainJson.Default.String))]);
                    outcome = await records.UpdateAsync(caller, target, recordId, input, options, ct);
                    break;
            }
            if (!outcome.IsOk)
            {
                if (outcome.Error!.Code == ErrorCodes.IdempotencyKeyReused)
                {
                    Write(w, i, action.Type, target.Name, null, "already done", null);
                    continue;
                }
                error = $"actions[{i}] ({action.Type} {target.Name}): {outcome.Error.Code}: {outcome.Error.Message}";
                break;
            }
            var done = outcome.Value;
            string what = done.DryRun ? (action.Type == RuleAction.CreateRecord ? "would create" : done.Changes.Count == 0 ? "would change nothing" : "would update")
                : done.Replayed ? "already done"
                : action.Type == RuleAction.CreateRecord ? "created"
                : done.Changes.Count == 0 ? "unchanged" : "updated";
            Write(w, i, action.Type, target.Name, done.DryRun && action.Type == RuleAction.CreateRecord ? null : done.Record.Id, what, dryRun ? input : null);
        }
        w.WriteEndArray();
        w.Flush();
        string result = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        return error is null
            ? new RunOutcome(AutomationRun.Statuses.Done, null, result)
            : new RunOutcome(AutomationRun.Statuses.Failed, error, result);
    }

    static void Write(Utf8JsonWriter w, int index, string type, string obj, string? id, string outcome, RecordInput? fields)
    {
        w.WriteStartObject();
        w.WriteNumber("action", index);
        w.WriteString("type", type);
        w.WriteString("object", obj);
        if (id is not null) w.WriteString("id", id);
        w.WriteString("outcome", outcome);
        if (fields is not null)
        {
            w.WriteStartObject("fields");
            foreach (var (k, v) in fields.Fields)
            {
                w.WritePropertyName(k);
                v.WriteTo(w);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    static RunOutcome Failed(string error) => new(AutomationRun.Statuses.Failed, error, null);

    /// <summary>The query's row as path → value: Name, OwnerId, Account.Name, …</summary>
    static Dictionary<string, object?> Flatten(SoqlRow row)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        void Add(SoqlRow r, string prefix)
        {
            if (r.Id is not null) values[prefix + "Id"] = r.Id;
            foreach (var (name, value) in r.Fields)
                if (value is SoqlRow parent) Add(parent, prefix + name + ".");
                else if (value is not SoqlChildren) values[prefix + name] = value;
        }
        Add(row, "");
        return values;
    }

    /// <summary>The change-log row's {"Field": {"before", "after"}} as ISCHANGED and PRIORVALUE read it.</summary>
    sealed class ChangeFacts(string changes) : RuleCondition.IChange
    {
        readonly JsonElement _changes = JsonDocument.Parse(changes).RootElement;

        public bool Changed(string field) => Find(field) is not null;

        public JsonElement Before(string field) => Find(field) is { } c && c.TryGetProperty("before", out var b) ? b : default;

        public JsonElement After(string field) => Find(field) is { } c && c.TryGetProperty("after", out var a) ? a : default;

        JsonElement? Find(string field)
        {
            if (_changes.ValueKind != JsonValueKind.Object) return null;
            foreach (var p in _changes.EnumerateObject())
                if (string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase)) return p.Value;
            return null;
        }
    }
}
