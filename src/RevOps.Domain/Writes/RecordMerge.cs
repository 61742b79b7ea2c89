using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

/// <summary>
/// Which records to merge: the master that stays, one or two duplicates that go, and field values
/// for the master, each a value or the Id of a duplicate to take that field's value from.
/// </summary>
public sealed record MergeRequest(ObjectMetadata Object, string? MasterId, IReadOnlyList<string> DuplicateIds, IReadOnlyList<KeyValuePair<string, JsonElement>> Fields);

/// <summary>A record that pointed at a duplicate through <paramref name="Field"/> and now points at the master.</summary>
public sealed record Reparented(string Object, string Id, string Field, string From);

/// <summary>What a merge did (or, for a dry run, would do).</summary>
public sealed record MergeOutcome(Record Master, IReadOnlyList<FieldChange> MasterChanges, IReadOnlyList<Record> Duplicates, IReadOnlyList<Reparented> Moved,
    DateTime RestorableUntil, bool DryRun)
{
    /// <summary>An earlier merge with the same idempotency key answered this one; nothing new was written.</summary>
    public bool Replayed { get; init; }
}

/// <summary>
/// Merges duplicates into a master as Salesforce does for Accounts, Contacts and Leads, in one
/// transaction: chosen field values are copied onto the master, every record that references a
/// duplicate (through any reference field the metadata knows, custom ones included, live or in the
/// recycle bin) is pointed at the master, and the duplicates go to the recycle bin alone, so
/// restoring one brings back the record but leaves its former children with the master.
/// </summary>
public sealed class RecordMerge(IRecordStore store, RecordService records, SchemaService schemas, RecycleBin bin, TimeProvider time)
{
    public const int MaxDuplicates = 2;
    const int MaxAttempts = 5;
    const int MaxChildren = 100_000;
    public static readonly IReadOnlyList<ObjectMetadata> Mergeable = [StandardObjects.Account, StandardObjects.Contact, StandardObjects.Lead];

    public async Task<CrmResult<MergeOutcome>> MergeAsync(Caller caller, MergeRequest request, WriteOptions options, CancellationToken ct)
    {
        var obj = request.Object;
        if (!caller.CanWrite) return RecordService.ReadOnlyKey(obj);
        if (!Mergeable.Contains(obj))
            return new CrmError(ErrorCodes.InvalidArgument,
                $"{obj.Name} records cannot be merged; merge_records merges {string.Join(", ", Mergeable.Select(o => o.Name))} records, as Salesforce does.", "object");
        var ids = ParseIds(request);
        if (!ids.IsOk) return ids.Error;
        var (masterId, duplicateIds) = ids.Value;

        var input = new RecordInput(request.Fields.ToList());
        var idempotency = await Idempotency.StartAsync(store, caller, options, ChangeOperations.Merged, obj, $"{masterId}<{string.Join(",", duplicateIds)}", input, time, ct);
        if (idempotency.Answer is { } answered) return answered.IsOk ? await ReplayedAsync(caller, answered.Value.Record, duplicateIds, ct) : answered.Error;

        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var plan = await PlanAsync(caller, obj, masterId, duplicateIds, request.Fields, ct);
            if (!plan.IsOk) return plan.Error;
            var (writes, outcome) = plan.Value;
            if (options.DryRun) return outcome with { DryRun = true };
            var result = await store.CommitAsync(caller.Tenant, writes, idempotency.Entry(obj, masterId, ChangeOperations.Merged), ct);
            if (result.Committed) return outcome;
            if (result.Failure == CommitFailure.IdempotencyKeyTaken)
            {
                var replay = await Idempotency.ReplayAsync(store, caller, options, idempotency.Hash, obj, ct);
                return replay.IsOk ? await ReplayedAsync(caller, replay.Value.Record, duplicateIds, ct) : replay.Error;
            }
            if (result.Failure == CommitFailure.DuplicateValue) return RecordService.DuplicateValue(obj, result);
        }
        return new CrmError(ErrorCodes.Conflict, $"{obj.Name} '{masterId}' or its duplicates are being changed by others right now. Retry the merge.");
    }

    static CrmResult<(string Master, string[] Duplicates)> ParseIds(MergeRequest request)
    {
        var obj = request.Object;
        var master = RecordService.ParseOwnId(obj, request.MasterId);
        if (!master.IsOk) return master.Error with { Field = "master_id" };
        if (request.DuplicateIds.Count is 0 or > MaxDuplicates)
            return new CrmError(ErrorCodes.InvalidArgument,
                $"duplicate_ids must hold 1 or {MaxDuplicates} {obj.Name} Ids to merge into the master; {request.DuplicateIds.Count} were sent. Merge more in several calls.", "duplicate_ids");
        var duplicates = new List<string>();
        foreach (var id in request.DuplicateIds)
        {
            var parsed = RecordService.ParseOwnId(obj, id);
            if (!parsed.IsOk) return parsed.Error with { Field = "duplicate_ids" };
            if (parsed.Value == master.Value)
                return new CrmError(ErrorCodes.InvalidArgument, $"{obj.Name} {id} is both the master and a duplicate. A record cannot merge into itself: send another duplicate.", "duplicate_ids");
            if (duplicates.Contains(parsed.Value))
                return new CrmError(ErrorCodes.InvalidArgument, $"{obj.Name} {id} appears twice in duplicate_ids. Send each duplicate once.", "duplicate_ids");
            duplicates.Add(parsed.Value);
        }
        return (master.Value, duplicates.ToArray());
    }

    async Task<CrmResult<(List<RecordWrite> Writes, MergeOutcome Outcome)>> PlanAsync(Caller caller, ObjectMetadata obj, string masterId, string[] duplicateIds,
        IReadOnlyList<KeyValuePair<string, JsonElement>> fields, CancellationToken ct)
    {
        var master = await records.GetAsync(caller, obj, masterId, ct);
        if (!master.IsOk) return master.Error with { Field = "master_id" };
        var duplicates = new List<Record>();
        foreach (var id in duplicateIds)
        {
            var found = await records.GetAsync(caller, obj, id, ct);
            if (!found.IsOk) return found.Error with { Field = "duplicate_ids" };
            if (obj == StandardObjects.Lead && found.Value["IsConverted"] is true)
                return new CrmError(ErrorCodes.CannotUpdateConvertedLead, $"Lead '{id}' was converted and cannot be merged. Merge the Contact it became ({found.Value["ConvertedContactId"]}) instead.", "duplicate_ids");
            duplicates.Add(found.Value);
        }

        var tenantSchema = await schemas.GetAsync(caller.Tenant, ct);
        var schema = tenantSchema.For(obj);
        var prepared = await records.PrepareUpdateAsync(caller, schema, masterId, MasterInput(schema, fields, duplicates), ct, current: master.Value);
        if (!prepared.IsOk) return prepared.Error;

        var now = FieldValues.TruncateToMillis(time.GetUtcNow().UtcDateTime);
        var touched = new Dictionary<string, (Record Before, Record After)>(StringComparer.Ordinal) { [masterId] = (master.Value, prepared.Value.Write.Record) };
        var moved = new List<Reparented>();
        foreach (var (childSchema, field) in ReferencesTo(tenantSchema, obj))
            foreach (var duplicate in duplicates)
                foreach (var deleted in new[] { false, true })
                {
                    var query = new RecordQuery([[new Condition(field, ConditionOp.Equals, duplicate.Id)]], childSchema.Object.Field("Id"), false, MaxChildren) { Deleted = deleted };
                    foreach (var row in await store.QueryAsync(caller.Tenant, childSchema.Object, query, ct))
                    {
                        if (duplicateIds.Contains(row.Id)) continue; // goes to the bin as it is
                        if (!touched.TryGetValue(row.Id, out var change)) touched[row.Id] = change = (row, row.Copy());
                        if (!PointsAt(change.After, field, duplicate.Id)) continue; // the master took another value for this field
                        // The master cannot point at itself: a link to a duplicate it absorbs is cleared.
                        Set(change.After, field, row.Id == masterId ? null : masterId);
                        // A derived reference (Task.AccountId) follows its source; only the links a caller set are reported.
                        if (!field.System) moved.Add(new Reparented(row.Object.Name, row.Id, field.Name, duplicate.Id));
                    }
                }
        if (obj == StandardObjects.Contact)
            // Tasks moved to the master contact take its Account, unless their WhatId decides it.
            foreach (var (before, after) in touched.Values)
                if (after.Object == StandardObjects.Task && !Equals(before["WhoId"], after["WhoId"])
                    && (after["WhatId"] as string is not { } what || !what.StartsWith(StandardObjects.Account.KeyPrefix, StringComparison.Ordinal) && !what.StartsWith(StandardObjects.Opportunity.KeyPrefix, StringComparison.Ordinal)))
                    after["AccountId"] = touched[masterId].After["AccountId"];

        var writes = new List<RecordWrite>();
        var (masterBefore, masterAfter) = touched[masterId];
        var masterChanges = Changes(masterBefore, masterAfter);
        foreach (var (before, after) in touched.Values)
        {
            var changes = Changes(before, after);
            if (changes.Count == 0) continue;
            after["LastModifiedDate"] = now;
            after["SystemModstamp"] = now;
            after["LastModifiedById"] = caller.ActorId;
            var write = new RecordWrite(after, before.Version, ChangeEntry.By(caller, after.Object.Name, after.Id, ChangeOperations.Updated, changes, now));
            writes.Add(after.Id == masterId ? write with { UniqueFields = prepared.Value.Write.UniqueFields } : write);
        }
        foreach (var duplicate in duplicates)
        {
            var binned = RecycleBin.Moved(caller, duplicate, deleted: true, now, deletedWith: null);
            writes.Add(binned with
            {
                Change = binned.Change with { Operation = ChangeOperations.Merged, Changes = [.. binned.Change.Changes, new FieldChange("MasterRecordId", null, masterId)] },
            });
        }
        var outcome = new MergeOutcome(masterAfter, masterChanges, writes.TakeLast(duplicates.Count).Select(w => w.Record).ToArray(), moved,
            now.AddDays(bin.RetentionDays), DryRun: false);
        return (writes, outcome);
    }

    /// <summary>The master's new values: literal values as sent, and an Id of a duplicate replaced by that duplicate's value of the field.</summary>
    static RecordInput MasterInput(ObjectSchema schema, IReadOnlyList<KeyValuePair<string, JsonElement>> fields, List<Record> duplicates)
    {
        var input = new List<KeyValuePair<string, JsonElement>>();
        foreach (var (name, value) in fields)
        {
            var source = value.ValueKind == JsonValueKind.String && SalesforceId.TryNormalize(value.GetString()!, out var id)
                ? duplicates.FirstOrDefault(d => d.Id == id)
                : null;
            if (source is null || !schema.TryGetField(name, out var field))
            {
                input.Add(new(name, value));
                continue;
            }
            var taken = field.Custom
                ? source.Custom.TryGetValue(field.Name, out var custom) ? custom : Null
                : source[field.Name] is { } standard ? FieldApplier.ToJson(standard) : Null;
            input.Add(new(name, taken));
        }
        return new RecordInput(input);
    }

    /// <summary>What changed, without the audit stamps an earlier step may already have set.</summary>
    static List<FieldChange> Changes(Record before, Record after) =>
        RecordService.Diff(before, after).Where(c => c.Field is not ("LastModifiedDate" or "SystemModstamp" or "LastModifiedById")).ToList();

    static readonly JsonElement Null = JsonElement.Parse("null");

    /// <summary>Every reference field of every object (standard or the tenant's custom ones) that may point at <paramref name="target"/>.</summary>
    static IEnumerable<(ObjectSchema Schema, FieldMetadata Field)> ReferencesTo(TenantSchema schema, ObjectMetadata target) =>
        from obj in StandardObjects.All
        let objectSchema = schema.For(obj)
        from field in objectSchema.AllFields
        where field.Type == FieldType.Reference && field.ReferenceTo.Contains(target.Name, StringComparer.OrdinalIgnoreCase)
        select (objectSchema, field);

    static bool PointsAt(Record record, FieldMetadata field, string id) => field.Custom
        ? record.Custom.TryGetValue(field.Name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == id
        : record[field.Name] as string == id;

    static void Set(Record record, FieldMetadata field, string? id)
    {
        if (!field.Custom)
            record[field.Name] = id;
        else if (id is null)
            record.Custom.Remove(field.Name);
        else
            record.Custom[field.Name] = FieldApplier.ToJson(id);
    }

    async Task<CrmResult<MergeOutcome>> ReplayedAsync(Caller caller, Record master, string[] duplicateIds, CancellationToken ct)
    {
        var duplicates = new List<Record>();
        foreach (var id in duplicateIds)
            if (await store.GetAsync(caller.Tenant, master.Object, id, ct) is { } duplicate) duplicates.Add(duplicate);
        var until = duplicates.Select(d => d.DeletedAt).FirstOrDefault(d => d is not null) ?? time.GetUtcNow().UtcDateTime;
        return new MergeOutcome(master, [], duplicates, [], until.AddDays(bin.RetentionDays), DryRun: false) { Replayed = true };
    }
}
