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
public sealed class AutomationExecutor(RecordService records, SoqlService soql, Webhooks.IWebhookStore webhooks, Work.WorkQueueService work, TimeProvider time)
{
    public async Task<RunOutcome> RunAsync(AutomationRule rule, RuleDefinition definition, DueRun run, long turn, bool dryRun, CancellationToken ct)
    {
        var caller = new Caller(rule.Tenant, rule.CreatedBy, Scopes.Read | Scopes.Write, LoopDepth.Channel)
        {
            ActorName = "automation: " + rule.Name,
            RequestId = LoopDepth.RequestId(rule.Id, run.Seq, run.Depth),
        };

        if (run.Operation == AutomationRun.ScheduledOperation) return await FireAsync(caller, rule, definition, run, turn, dryRun, ct);
        if (!SalesforceId.TryNormalize(run.RecordId, out var recordId)) return Failed($"the change names no valid record Id ('{run.RecordId}').");

        string where = $"Id = '{recordId}'";
        if (definition.Condition is { } condition)
        {
            var resolved = RuleCondition.Resolve(condition, new ChangeFacts(run.Changes));
            if (!resolved.IsOk) return Failed(resolved.Error!.Message);
            where += $" AND ({resolved.Value})";
        }
        var found = await soql.QueryAsync(caller, Select(definition, where), definition.Trigger.SeesDeleted, 0, 1, ct);
        if (!found.IsOk) return Failed("condition: " + found.Error!.Message);
        if (found.Value.Records.Count == 0) return new RunOutcome(AutomationRun.Statuses.Skipped, "The condition is false for this change.", null);

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using var w = new Utf8JsonWriter(buffer);
        w.WriteStartArray();
        string? error = await ApplyAsync(caller, rule, definition, recordId, Flatten(found.Value.Records[0]), $"automation:{rule.Id}:{run.Seq}", turn, dryRun, w, null, ct);
        w.WriteEndArray();
        w.Flush();
        return Outcome(buffer, error);
    }

    /// <summary>Records one fire of a scheduled rule acts on, at most; the run's result says when more matched.</summary>
    public const int MaxRecordsPerFire = 200;

    /// <summary>
    /// One fire of a scheduled rule: the actions for every record the condition selects now (at most
    /// <see cref="MaxRecordsPerFire"/>), each action keyed automation:{rule}:{fire}:{record}:{index}, so a fire
    /// run again after a crash skips the records it already did.
    /// </summary>
    async Task<RunOutcome> FireAsync(Caller caller, AutomationRule rule, RuleDefinition definition, DueRun run, long turn, bool dryRun, CancellationToken ct)
    {
        var conditions = new List<string>();
        if (definition.Trigger.RelativeCondition(DateTime.UnixEpoch.AddSeconds(run.Seq)) is { } day) conditions.Add(day);
        if (definition.Condition is { } condition) conditions.Add($"({condition})");
        string where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        var found = await soql.QueryAsync(caller, Select(definition, null) + where + " ORDER BY Id", false, 0, MaxRecordsPerFire + 1, ct);
        if (!found.IsOk) return Failed("condition: " + found.Error!.Message);
        var rows = found.Value.Records;
        if (rows.Count == 0) return new RunOutcome(AutomationRun.Statuses.Skipped, "No record matched the condition at this fire.", "[]");

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using var w = new Utf8JsonWriter(buffer);
        w.WriteStartArray();
        string? error = null;
        int index = 0;
        foreach (var row in rows.Take(MaxRecordsPerFire))
        {
            var values = Flatten(row);
            string recordId = row.Id ?? (string)values["Id"]!;
            error = await ApplyAsync(caller, rule, definition, recordId, values, $"automation:{rule.Id}:{run.Seq}:{recordId}", turn + index++, dryRun, w, recordId, ct);
            if (error is not null) break;
        }
        if (rows.Count > MaxRecordsPerFire && error is null)
        {
            w.WriteStartObject();
            w.WriteString("outcome", $"more than {MaxRecordsPerFire} records matched; the next fire continues with the ones whose condition still holds");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.Flush();
        return Outcome(buffer, error);
    }

    static string Select(RuleDefinition definition, string? where)
    {
        var paths = definition.MergePaths;
        string select = paths.Count == 0 ? "Id" : "Id, " + string.Join(", ", paths);
        return $"SELECT {select} FROM {definition.Object.Name}" + (where is null ? "" : $" WHERE {where}");
    }

    static RunOutcome Outcome(System.Buffers.ArrayBufferWriter<byte> buffer, string? error)
    {
        string result = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        return error is null
            ? new RunOutcome(AutomationRun.Statuses.Done, null, result)
            : new RunOutcome(AutomationRun.Statuses.Failed, error, result);
    }

    /// <summary>The rule's actions for one record, written to <paramref name="w"/>; the error that stopped them, or null.</summary>
    async Task<string?> ApplyAsync(Caller caller, AutomationRule rule, RuleDefinition definition, string recordId, Dictionary<string, object?> values, string keyPrefix,
        long turn, bool dryRun, Utf8JsonWriter w, string? forRecord, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        for (int i = 0; i < definition.Actions.Count; i++)
        {
            var action = definition.Actions[i];
            var options = new WriteOptions(IdempotencyKey: $"{keyPrefix}:{i}", DryRun: dryRun);
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
                    // A standard lookup reads as a string, a custom one (Account__c) as the JSON value it is stored as.
                    string? id = action.Parent is null ? recordId : values.GetValueOrDefault(action.Parent) switch
                    {
                        string text => text,
                        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString(),
                        _ => null,
                    };
                    if (id is null)
                    {
                        Write(w, i, action.Type, target.Name, null, "skipped: the record has no " + action.Parent, null, forRecord);
                        continue;
                    }
                    outcome = await records.UpdateAsync(caller, target, id, input, options, ct);
                    break;
                case RuleAction.Webhook:
                {
                    var sent = await QueueWebhookAsync(caller, action, definition.Object.Name, recordId, input, $"{keyPrefix}:{i}", dryRun, ct);
                    if (!sent.IsOk) return $"{(forRecord is null ? "" : $"record {forRecord}: ")}actions[{i}] (webhook): {sent.Error!.Message}";
                    Write(w, i, action.Type, definition.Object.Name, sent.Value, dryRun ? "would send" : "queued", dryRun ? input : null, forRecord);
                    continue;
                }
                case RuleAction.EnqueueWork:
                {
                    var queued = await EnqueueWorkAsync(caller, rule, action, recordId, input, $"{keyPrefix}:{i}", dryRun, ct);
                    if (!queued.IsOk) return $"{(forRecord is null ? "" : $"record {forRecord}: ")}actions[{i}] (enqueue_work): {queued.Error!.Code}: {queued.Error.Message}";
                    Write(w, i, action.Type, WorkItemObject, queued.Value.Id, queued.Value.Outcome, dryRun ? input : null, forRecord);
                    continue;
                }
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
                    Write(w, i, action.Type, target.Name, null, "already done", null, forRecord);
                    continue;
                }
                return $"{(forRecord is null ? "" : $"record {forRecord}: ")}actions[{i}] ({action.Type} {target.Name}): {outcome.Error.Code}: {outcome.Error.Message}";
            }
            var done = outcome.Value;
            string what = done.DryRun ? (action.Type == RuleAction.CreateRecord ? "would create" : done.Changes.Count == 0 ? "would change nothing" : "would update")
                : done.Replayed ? "already done"
                : action.Type == RuleAction.CreateRecord ? "created"
                : done.Changes.Count == 0 ? "unchanged" : "updated";
            Write(w, i, action.Type, target.Name, done.DryRun && action.Type == RuleAction.CreateRecord ? null : done.Record.Id, what, dryRun ? input : null, forRecord);
        }
        return null;
    }

    /// <summary>
    /// Queues the action's event on its subscription's delivery log, where the dispatcher signs, sends and retries it
    /// like any change event. The event id comes from the action's idempotency key, so a run repeated after a crash
    /// queues nothing twice; returns the event id.
    /// </summary>
    async Task<CrmResult<string>> QueueWebhookAsync(Caller caller, RuleAction action, string obj, string recordId, RecordInput data, string key, bool dryRun, CancellationToken ct)
    {
        var hook = await webhooks.GetAsync(caller.Tenant, action.WebhookId!, ct);
        if (hook is null) return new CrmError(ErrorCodes.InvalidCrossReference, $"the webhook '{action.WebhookId}' was deleted; point the rule at another (manage_automation action=update).");
        string eventId = "evt_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..24];
        if (dryRun) return eventId;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) WriteFields(w, data);
        var now = time.GetUtcNow().UtcDateTime;
        string payload = Webhooks.WebhookPayload.Build(eventId, hook.Id, obj, recordId, RuleAction.WebhookOperation, null, now, caller.ActorId, caller.ActorName, caller.Channel,
            System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        await webhooks.EnqueueAsync(caller.Tenant, hook.Id, eventId, RuleAction.WebhookOperation, payload, now, ct);
        return eventId;
    }

    /// <summary>What a run's log names as the object of an enqueue_work action.</summary>
    const string WorkItemObject = "WorkItem";

    /// <summary>
    /// Puts an item for agents about the record in the action's queue, with the rendered prompt and due date. The item's
    /// idempotency key is the action's, so a run repeated after a crash finds the item it made and enqueues nothing twice.
    /// </summary>
    async Task<CrmResult<(string? Id, string Outcome)>> EnqueueWorkAsync(Caller caller, AutomationRule rule, RuleAction action, string recordId, RecordInput rendered, string key,
        bool dryRun, CancellationToken ct)
    {
        string? Text(string name) => rendered.Fields.FirstOrDefault(f => f.Key == name).Value switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } => null,
            var other => other.GetRawText(),
        };
        var request = new Work.WorkRequest(action.Queue, Text("prompt"), recordId, action.WorkType, action.Priority, Text("due"));
        string source = "rule:" + rule.Id;
        if (dryRun)
        {
            var valid = await work.ValidateAsync(caller, request, source, key, ct);
            return valid.IsOk ? (null, "would enqueue") : valid.Error!;
        }
        var queued = await work.EnqueueAsync(caller, request, ct, source, key);
        if (!queued.IsOk) return queued.Error!;
        return (queued.Value.Item.Id, queued.Value.Created ? "enqueued" : "already done");
    }

    static void Write(Utf8JsonWriter w, int index, string type, string obj, string? id, string outcome, RecordInput? fields, string? forRecord)
    {
        w.WriteStartObject();
        if (forRecord is not null) w.WriteString("record", forRecord);
        w.WriteNumber("action", index);
        w.WriteString("type", type);
        w.WriteString("object", obj);
        if (id is not null) w.WriteString("id", id);
        w.WriteString("outcome", outcome);
        if (fields is not null)
        {
            w.WritePropertyName("fields");
            WriteFields(w, fields);
        }
        w.WriteEndObject();
    }

    /// <summary>The input as a JSON object of field to value: what a dry run shows and what a webhook event carries.</summary>
    static void WriteFields(Utf8JsonWriter w, RecordInput fields)
    {
        w.WriteStartObject();
        foreach (var (name, value) in fields.Fields)
        {
            w.WritePropertyName(name);
            value.WriteTo(w);
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
