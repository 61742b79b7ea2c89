using RevOps.Domain.Duplicates;
using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;

namespace RevOps.Domain;

/// <summary>
/// Creates, updates, reads and searches records of any object: validates values against the
/// tenant's schema, applies the object rules, checks references within the caller's tenant,
/// and hands the store one write together with its change-log entry.
/// </summary>
/// <remarks>New Accounts, Contacts and Leads are checked for duplicates by <paramref name="duplicates"/> (none checked without it: demo data, tests of other things).</remarks>
public sealed class RecordService(IRecordStore store, SchemaService schemas, IdGenerator ids, TimeProvider time, DuplicateService? duplicates = null)
{
    const int MaxWriteAttempts = 5;

    public async Task<CrmResult<Record>> GetAsync(Caller caller, ObjectMetadata obj, string? id, CancellationToken ct)
    {
        var parsed = ParseOwnId(obj, id);
        if (!parsed.IsOk) return parsed.Error;
        var record = await store.GetAsync(caller.Tenant, obj, parsed.Value, ct);
        if (record is null) return CrmError.NotFound(obj.Name, id!);
        if (record.IsDeleted)
            return new CrmError(ErrorCodes.EntityIsDeleted, $"{obj.Name} '{id}' is in the recycle bin (deleted {ValueJson.FormatDateTime(record.DeletedAt ?? default)}). Restore it with restore_record to read or change it.", "Id");
        return record;
    }

    /// <summary>A page of records; <paramref name="knownTotal"/> (from an earlier page) saves counting again.</summary>
    public async Task<CrmResult<RecordPage>> QueryAsync(Caller caller, ObjectMetadata obj, RecordQuery query, CancellationToken ct, long? knownTotal = null)
    {
        if (query.Limit is < 1 or > RecordQuery.MaxLimit)
            return new CrmError(ErrorCodes.InvalidArgument, $"limit must be between 1 and {RecordQuery.MaxLimit}; {query.Limit} was sent.", "limit");
        // One row more than asked for tells whether there are more.
        var rows = await store.QueryAsync(caller.Tenant, obj, query with { Limit = query.Limit + 1 }, ct);
        bool more = rows.Count > query.Limit;
        long total = knownTotal ?? (!more && query.Offset == 0 ? rows.Count : await store.CountAsync(caller.Tenant, obj, query, ct));
        return more
            ? new RecordPage(rows.Take(query.Limit).ToArray(), total, query.Offset + query.Limit)
            : new RecordPage(rows, total, null);
    }

    /// <summary>The most recently changed live records, newest first.</summary>
    public Task<IReadOnlyList<Record>> RecentAsync(Caller caller, ObjectMetadata obj, int count, CancellationToken ct) =>
        store.QueryAsync(caller.Tenant, obj, new RecordQuery([], obj.Field("LastModifiedDate"), Descending: true, count), ct);

    /// <summary>Live records whose <paramref name="field"/> equals the value (parsed as the field's type); at most 10.</summary>
    public async Task<CrmResult<IReadOnlyList<Record>>> FindByValueAsync(Caller caller, ObjectSchema schema, FieldMetadata field, string value, CancellationToken ct)
    {
        var parsed = FieldValues.Parse(schema.Object, field, System.Text.Json.JsonSerializer.SerializeToElement(value, DomainJson.Default.String));
        if (!parsed.IsOk) return parsed.Error;
        var query = new RecordQuery([[new Condition(field, ConditionOp.Equals, parsed.Value)]], schema.Object.Field("Id"), Descending: false, Limit: 10);
        return CrmResult<IReadOnlyList<Record>>.Ok(await store.QueryAsync(caller.Tenant, schema.Object, query, ct));
    }

    /// <summary>
    /// Records changed (SystemModstamp) in [start, end]: live ones, or with <paramref name="deleted"/>
    /// the ones in the recycle bin (a delete stamps the record), for replication clients.
    /// </summary>
    public Task<IReadOnlyList<Record>> ChangedBetweenAsync(Caller caller, ObjectMetadata obj, DateTime start, DateTime end, bool deleted, CancellationToken ct)
    {
        var stamp = obj.Field("SystemModstamp");
        var query = new RecordQuery([[new Condition(stamp, ConditionOp.GreaterOrEqual, start)], [new Condition(stamp, ConditionOp.LessOrEqual, end)]],
            stamp, Descending: false, Limit: MaxReplicationRows) { Deleted = deleted };
        return store.QueryAsync(caller.Tenant, obj, query, ct);
    }

    /// <summary>Salesforce answers getUpdated/getDeleted with at most 600,000 Ids.</summary>
    public const int MaxReplicationRows = 600_000;

    public Task<CrmResult<Record>> CreateAsync(Caller caller, ObjectMetadata obj, RecordInput input, CancellationToken ct) =>
        Unwrap(CreateAsync(caller, obj, input, WriteOptions.Default, ct));

    public Task<CrmResult<Record>> UpdateAsync(Caller caller, ObjectMetadata obj, string? id, RecordInput input, CancellationToken ct) =>
        Unwrap(UpdateAsync(caller, obj, id, input, WriteOptions.Default, ct));

    public async Task<CrmResult<WriteOutcome>> CreateAsync(Caller caller, ObjectMetadata obj, RecordInput input, WriteOptions options, CancellationToken ct)
    {
        if (!caller.CanWrite) return ReadOnlyKey(obj);
        var idempotency = await Idempotency.StartAsync(store, caller, options, ChangeOperations.Created, obj, null, input, time, ct);
        if (idempotency.Answer is { } answered) return answered;

        var validated = await ValidateNewAsync(caller, obj, input, ct);
        if (!validated.IsOk) return validated.Error;
        var (record, schema) = validated.Value;

        var finding = await CheckDuplicatesAsync(caller, record, options, ct);
        if (finding.Verdict == DuplicateVerdict.Block) return finding.Error(obj.Name);
        var duplicates = finding.Matches;

        var changes = CreatedChanges(record);
        if (finding.Verdict == DuplicateVerdict.Skip)
            return new WriteOutcome(record, ChangeOperations.Created, changes) { Skipped = true, DryRun = options.DryRun, PossibleDuplicates = duplicates };
        if (options.DryRun) return new WriteOutcome(record, ChangeOperations.Created, changes) { DryRun = true, PossibleDuplicates = duplicates };

        var now = Stamp(caller, record);
        var change = ChangeEntry.By(caller, obj.Name, record.Id, ChangeOperations.Created, changes, now);
        var write = new RecordWrite(record, null, change) { UniqueFields = UniqueFieldsOf(schema, record) };
        var result = await store.CommitAsync(caller.Tenant, [write], idempotency.Entry(obj, record.Id, ChangeOperations.Created), ct);
        if (result.Failure == CommitFailure.IdempotencyKeyTaken) return await Idempotency.ReplayAsync(store, caller, options, idempotency.Hash, obj, ct);
        if (result.Failure == CommitFailure.DuplicateValue) return DuplicateValue(obj, result);
        return new WriteOutcome(new Record(obj, record.Values, record.Custom, 1), ChangeOperations.Created, changes) { PossibleDuplicates = duplicates };
    }

    public async Task<CrmResult<WriteOutcome>> UpdateAsync(Caller caller, ObjectMetadata obj, string? id, RecordInput input, WriteOptions options, CancellationToken ct)
    {
        if (!caller.CanWrite) return ReadOnlyKey(obj);
        var parsed = ParseOwnId(obj, id);
        if (!parsed.IsOk) return parsed.Error;
        var idempotency = await Idempotency.StartAsync(store, caller, options, ChangeOperations.Updated, obj, parsed.Value, input, time, ct);
        if (idempotency.Answer is { } answered) return answered;
        var schema = await schemas.GetForWriteAsync(caller.Tenant, obj, input.Fields.Select(f => f.Key), ct);

        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var prepared = await PrepareUpdateAsync(caller, schema, parsed.Value, input, ct);
            if (!prepared.IsOk) return prepared.Error;
            var (before, write) = prepared.Value;
            if (options.DryRun) return new WriteOutcome(write.Record, write.Change.Operation, write.Change.Changes) { DryRun = true };
            if (write.Change.Changes.Count == 0) return new WriteOutcome(before, write.Change.Operation, []); // Nothing changed: no write, no change-log row.

            var result = await store.CommitAsync(caller.Tenant, [write], idempotency.Entry(obj, before.Id, write.Change.Operation), ct);
            if (result.Failure == CommitFailure.IdempotencyKeyTaken) return await Idempotency.ReplayAsync(store, caller, options, idempotency.Hash, obj, ct);
            if (result.Failure == CommitFailure.DuplicateValue) return DuplicateValue(obj, result);
            if (result.Committed)
                return new WriteOutcome(new Record(obj, write.Record.Values, write.Record.Custom, before.Version + 1), write.Change.Operation, write.Change.Changes);
            // Another writer got there first: read the new state and apply the caller's values to it.
        }
        return new CrmError(ErrorCodes.Conflict, $"{obj.Name} '{id}' is being changed by others right now. Retry the update.");
    }

    /// <summary>
    /// The update of one record as it stands now, validated exactly as an update call would be:
    /// the record before and the write (whose change lists no fields when nothing would change).
    /// </summary>
    /// <param name="current">The record as an earlier write of the same transaction leaves it (it is not in the store yet).</param>
    internal async Task<CrmResult<(Record Before, RecordWrite Write)>> PrepareUpdateAsync(Caller caller, ObjectSchema schema, string id, RecordInput input, CancellationToken ct,
        IReadOnlySet<string>? pending = null, Record? current = null, IReadOnlySet<string>? live = null)
    {
        var obj = schema.Object;
        if (FieldApplier.CheckWritable(obj) is { } managed) return managed;
        var before = current is not null ? CrmResult<Record>.Ok(current) : await GetAsync(caller, obj, id, ct);
        if (!before.IsOk) return before.Error;
        if (obj == StandardObjects.Lead && before.Value["IsConverted"] is true)
            return new CrmError(ErrorCodes.CannotUpdateConvertedLead,
                $"Lead '{id}' was converted on {before.Value["ConvertedDate"]:yyyy-MM-dd} and can no longer change. Update its Contact ({before.Value["ConvertedContactId"]}) or Account ({before.Value["ConvertedAccountId"]}) instead.");

        var record = before.Value.Copy();
        var applied = FieldApplier.Apply(schema, record, input, creating: false);
        if (!applied.IsOk) return applied.Error;
        if (FieldApplier.ApplyOwner(caller, record, applied.Value, creating: false) is { } ownerError) return ownerError;
        if (FieldApplier.CheckRequired(schema, record, applied.Value) is { } missing) return missing;
        if (ObjectRules.Apply(record, before.Value, applied.Value) is { } ruleError) return ruleError;
        if (await FieldApplier.CheckReferencesAsync(store, caller, record, applied.Value, ct, pending, live) is { } refError) return refError;
        if (await CustomReferenceValues.CheckAsync(store, await schemas.GetAsync(caller.Tenant, ct), caller, schema, record, applied.Value, ct, pending) is { } customRefError) return customRefError;
        if (applied.Value.Contains("WhatId") || applied.Value.Contains("WhoId")) await ActivityAccount.DeriveAsync(store, caller.Tenant, record, ct);

        var changes = Diff(before.Value, record);
        string operation = changes.Any(c => c.Field == "StageName") && obj == StandardObjects.Opportunity
            ? ChangeOperations.StageChanged
            : ChangeOperations.Updated;
        var now = Now();
        if (changes.Count > 0)
        {
            record["LastModifiedDate"] = now;
            record["SystemModstamp"] = now;
            record["LastModifiedById"] = caller.ActorId;
        }
        var change = ChangeEntry.By(caller, obj.Name, record.Id, operation, changes, now);
        return (before.Value, new RecordWrite(record, before.Value.Version, change) { UniqueFields = UniqueFieldsOf(schema, record) });
    }

    /// <summary>
    /// A new record validated exactly as <see cref="CreateAsync(Caller, ObjectMetadata, RecordInput, WriteOptions, CancellationToken)"/>
    /// would, with its Id and audit fields set, for writes that commit several records at once.
    /// </summary>
    /// <param name="throughFiles">The file service creating a file's records (objects with <see cref="ObjectMetadata.CreatedThrough"/>).</param>
    /// <param name="live">Ids a batch looked up together and found live: a standard reference to one is not looked up again.</param>
    internal async Task<CrmResult<RecordWrite>> PrepareInsertAsync(Caller caller, ObjectMetadata obj, RecordInput input, CancellationToken ct,
        IReadOnlySet<string>? pending = null, bool throughFiles = false, IReadOnlySet<string>? live = null)
    {
        var validated = await ValidateNewAsync(caller, obj, input, ct, pending, throughFiles, live);
        if (!validated.IsOk) return validated.Error;
        var (record, schema) = validated.Value;
        var now = Stamp(caller, record);
        return new RecordWrite(record, null, ChangeEntry.By(caller, obj.Name, record.Id, ChangeOperations.Created, CreatedChanges(record), now))
        {
            UniqueFields = UniqueFieldsOf(schema, record),
        };
    }

    /// <summary>
    /// A new record validated as a create would be (defaults, field values, required fields, object rules,
    /// references), with its Id and audit fields set, for bulk loads that commit thousands at once through
    /// <see cref="IRecordStore.CommitAsync"/>. Ids in <paramref name="pending"/> (records the same load writes)
    /// count as existing references.
    /// </summary>
    public Task<CrmResult<RecordWrite>> PrepareCreateAsync(Caller caller, ObjectMetadata obj, RecordInput input, IReadOnlySet<string> pending, CancellationToken ct) =>
        PrepareInsertAsync(caller, obj, input, ct, pending);

    /// <summary>Defaults, the caller's values, required fields, object rules and references: a new record that may be written.</summary>
    async Task<CrmResult<(Record Record, ObjectSchema Schema)>> ValidateNewAsync(Caller caller, ObjectMetadata obj, RecordInput input, CancellationToken ct,
        IReadOnlySet<string>? pending = null, bool throughFiles = false, IReadOnlySet<string>? live = null)
    {
        if (FieldApplier.CheckWritable(obj) is { } managed) return managed;
        if (obj.CreatedThrough is { } instead && !throughFiles) return new CrmError(ErrorCodes.InvalidArgument, instead, "VersionData");
        var schema = await schemas.GetForWriteAsync(caller.Tenant, obj, input.Fields.Select(f => f.Key), ct);
        var record = Record.Empty(obj);
        FieldApplier.ApplyDefaults(schema, record);
        var applied = FieldApplier.Apply(schema, record, input, creating: true);
        if (!applied.IsOk) return applied.Error;
        if (FieldApplier.ApplyOwner(caller, record, applied.Value, creating: true) is { } ownerError) return ownerError;
        if (FieldApplier.CheckRequired(schema, record, onlySent: null) is { } missing) return missing;
        if (ObjectRules.Apply(record, null, applied.Value) is { } ruleError) return ruleError;
        if (await FieldApplier.CheckReferencesAsync(store, caller, record, applied.Value, ct, pending, live) is { } refError) return refError;
        if (await CustomReferenceValues.CheckAsync(store, await schemas.GetAsync(caller.Tenant, ct), caller, schema, record, applied.Value, ct, pending) is { } customRefError) return customRefError;
        await ActivityAccount.DeriveAsync(store, caller.Tenant, record, ct);
        if (obj.AutoNumberFormat is not null) record["Name"] = await schemas.NextAutoNameAsync(caller.Tenant, obj, ct);
        return (record, schema);
    }

    static IReadOnlyList<FieldMetadata> UniqueFieldsOf(ObjectSchema schema, Record record) =>
        schema.CustomFields.Where(f => f.Unique && record.Custom.ContainsKey(f.Name)).ToArray();

    /// <summary>The error for a write that lost on a unique field, in Salesforce's words.</summary>
    internal static CrmError DuplicateValue(ObjectMetadata obj, CommitResult result) =>
        new(ErrorCodes.DuplicateValue,
            $"duplicate value found: {result.Field} duplicates value on record with id: {result.ExistingId}. {obj.Name}.{result.Field} is unique: send another value, or update record {result.ExistingId} instead.",
            result.Field);

    /// <summary>Gives a new record its Id and audit fields; returns the time it was stamped with.</summary>
    DateTime Stamp(Caller caller, Record record)
    {
        var now = Now();
        record["Id"] = ids.NewId(record.Object.KeyPrefix);
        record["IsDeleted"] = false;
        record["CreatedDate"] = now;
        record["LastModifiedDate"] = now;
        record["SystemModstamp"] = now;
        record["CreatedById"] = caller.ActorId;
        record["LastModifiedById"] = caller.ActorId;
        return now;
    }

    /// <summary>Parses an Id the caller gave for a record of <paramref name="obj"/>.</summary>
    public static CrmResult<string> ParseOwnId(ObjectMetadata obj, string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
            return CrmError.Required(obj.Name, "Id");
        if (!SalesforceId.TryNormalize(id, out var normalized))
            return new CrmError(ErrorCodes.MalformedId, $"'{id}' is not a valid {obj.Name} Id.{SalesforceId.ChecksumProblem(id)} Send the 15- or 18-character Id (it starts with {obj.KeyPrefix}).", "Id");
        if (SalesforceId.KeyPrefix(normalized) != obj.KeyPrefix)
        {
            var other = StandardObjects.ForKeyPrefix(SalesforceId.KeyPrefix(normalized));
            string hint = other is null ? "" : $" It is the Id of {Suggestions.WithArticle(other.Name)}.";
            return new CrmError(ErrorCodes.NotFound, $"'{id}' is not a {obj.Name} Id ({obj.Name} Ids start with {obj.KeyPrefix}).{hint}", "Id");
        }
        return normalized;
    }

    /// <summary>The object an Id belongs to, from its key prefix: a standard object, or one of the tenant's custom objects.</summary>
    public static CrmResult<ObjectMetadata> ObjectOfId(string? id, TenantSchema schema)
    {
        var standard = ObjectOfId(id);
        if (standard.IsOk || standard.Error.Code != ErrorCodes.NotFound || !SalesforceId.TryNormalize(id!, out var normalized)) return standard;
        return schema.ForKeyPrefix(SalesforceId.KeyPrefix(normalized)) is { } custom ? custom : standard;
    }

    /// <summary>The object of a tenant's Id (custom objects included), read from the tenant's schema.</summary>
    public async Task<CrmResult<ObjectMetadata>> ObjectOfIdAsync(TenantId tenant, string? id, CancellationToken ct) =>
        ObjectOfId(id, await schemas.GetAsync(tenant, ct));

    /// <summary>The object an Id belongs to, from its key prefix (standard objects only).</summary>
    public static CrmResult<ObjectMetadata> ObjectOfId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return new CrmError(ErrorCodes.RequiredFieldMissing, "Id is required. Send the record's 15- or 18-character Id.", "Id");
        if (!SalesforceId.TryNormalize(id, out var normalized))
            return new CrmError(ErrorCodes.MalformedId, $"'{id}' is not a valid record Id.{SalesforceId.ChecksumProblem(id)} Send the 15- or 18-character Id.", "Id");
        return StandardObjects.ForKeyPrefix(SalesforceId.KeyPrefix(normalized)) is { } obj
            ? obj
            : new CrmError(ErrorCodes.NotFound, $"'{id}' is not the Id of any object here (its prefix {SalesforceId.KeyPrefix(normalized)} is unknown).", "Id");
    }

    /// <summary>The duplicate check of one new record (see <see cref="DuplicateService.CheckAsync"/>).</summary>
    async Task<DuplicateFinding> CheckDuplicatesAsync(Caller caller, Record record, WriteOptions options, CancellationToken ct)
    {
        if (options.CheckedDuplicates is { } known) return new DuplicateFinding(DuplicateVerdict.Write, known);
        return duplicates is null ? DuplicateFinding.None : (await duplicates.CheckAsync(caller, [record], options, ct))[0];
    }

    /// <summary>What to do with each of a batch's new records (one look-up per kind of key for all of them).</summary>
    internal async Task<IReadOnlyList<DuplicateFinding>> CheckDuplicatesAsync(Caller caller, IReadOnlyList<Record> records, WriteOptions options, CancellationToken ct) =>
        duplicates is null ? Enumerable.Repeat(DuplicateFinding.None, records.Count).ToArray() : await duplicates.CheckAsync(caller, records, options, ct);

    /// <summary>Whether creates of these objects are checked for duplicates under <paramref name="options"/>.</summary>
    internal async ValueTask<bool> ChecksDuplicatesAsync(Caller caller, IEnumerable<ObjectMetadata> objects, WriteOptions options, CancellationToken ct) =>
        duplicates is not null && await duplicates.ChecksAnyAsync(caller, objects, options, ct);

    internal static List<FieldChange> CreatedChanges(Record record)
    {
        var changes = new List<FieldChange>();
        var fields = record.Object.Fields;
        // By position: Values follows Fields, so no look-up of each field's ordinal by name; only set fields are audit-checked.
        for (int i = 0; i < fields.Count; i++)
            if (record.Values[i] is { } value && fields[i].Name != "Id" && !StandardObjects.AuditFields.Contains(fields[i].Name))
                changes.Add(new FieldChange(fields[i].Name, null, value));
        foreach (var (name, value) in record.Custom) changes.Add(new FieldChange(name, null, value));
        return changes;
    }

    internal static List<FieldChange> Diff(Record before, Record after)
    {
        var changes = new List<FieldChange>();
        foreach (var field in before.Object.Fields)
        {
            var a = before[field.Name];
            var b = after[field.Name];
            if (!Equals(a, b)) changes.Add(new FieldChange(field.Name, a, b));
        }
        foreach (var name in before.Custom.Keys.Union(after.Custom.Keys, StringComparer.OrdinalIgnoreCase))
        {
            bool hadBefore = before.Custom.TryGetValue(name, out var a);
            bool hasAfter = after.Custom.TryGetValue(name, out var b);
            if (hadBefore != hasAfter || (hadBefore && a.GetRawText() != b.GetRawText()))
                changes.Add(new FieldChange(name, hadBefore ? a : null, hasAfter ? b : null));
        }
        return changes;
    }

    DateTime Now() => FieldValues.TruncateToMillis(time.GetUtcNow().UtcDateTime);

    static async Task<CrmResult<Record>> Unwrap(Task<CrmResult<WriteOutcome>> outcome)
    {
        var result = await outcome;
        return result.IsOk ? result.Value.Record : result.Error;
    }

    internal static CrmError ReadOnlyKey(ObjectMetadata obj) =>
        new(ErrorCodes.InsufficientAccess, $"This API key is read-only and cannot change {obj.Name} records. Use a key with the write scope.");
}
