using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

/// <summary>What a delete or restore touched: the record and the ones that went (or came back) with it.</summary>
public sealed record BinOutcome(Record Record, IReadOnlyList<Record> Cascaded, DateTime? RestorableUntil, bool DryRun);

/// <summary>
/// Deletes are soft: records go to the recycle bin (IsDeleted) where reads and searches no longer
/// see them, and can be restored for <see cref="RetentionDays"/> days before they are purged.
/// Deleting an Account takes its Contacts, Opportunities and activities along, and restoring it brings back
/// exactly those, as Salesforce does.
/// </summary>
/// <remarks>
/// With <paramref name="schemas"/>, a tenant's custom references take part too: Master-Detail children go and come back
/// with their master, a restrict Lookup refuses the delete, a clear Lookup is emptied (docs/custom-objects.md).
/// </remarks>
public sealed class RecycleBin(IRecordStore store, TimeProvider time, int retentionDays = RecycleBin.DefaultRetentionDays, Schema.SchemaService? schemas = null)
{
    public const int DefaultRetentionDays = 15;
    const int MaxAttempts = 5;
    const int MaxCascade = 100_000;

    public int RetentionDays { get; } = retentionDays;

    /// <summary>
    /// Children deleted and restored with their parent, as Salesforce does: (child object, its
    /// reference to the parent). It applies again to the children, so an Account takes its
    /// Contacts and Opportunities and their activities along.
    /// </summary>
    static readonly IReadOnlyDictionary<string, (ObjectMetadata Child, string Field)[]> Cascades = new Dictionary<string, (ObjectMetadata, string)[]>
    {
        ["Account"] = [(StandardObjects.Contact, "AccountId"), (StandardObjects.Opportunity, "AccountId"), (StandardObjects.Task, "WhatId"), (StandardObjects.Event, "WhatId"), FileLinks],
        ["Opportunity"] = [(StandardObjects.Task, "WhatId"), (StandardObjects.Event, "WhatId"), FileLinks],
        ["Contact"] = [(StandardObjects.Task, "WhoId"), (StandardObjects.Event, "WhoId"), FileLinks],
        ["Lead"] = [(StandardObjects.Task, "WhoId"), (StandardObjects.Event, "WhoId"), FileLinks],
        ["Task"] = [FileLinks],
        ["Event"] = [FileLinks],
        // A file goes with all its versions and the links that share it; its bytes go when the bin is purged (docs/files.md).
        ["ContentDocument"] = [(StandardObjects.ContentVersion, "ContentDocumentId"), (StandardObjects.ContentDocumentLink, "ContentDocumentId")],
    };

    /// <summary>A record's links to files go (and come back) with it; the files themselves stay with their other links.</summary>
    static (ObjectMetadata, string) FileLinks => (StandardObjects.ContentDocumentLink, "LinkedEntityId");

    public async Task<CrmResult<BinOutcome>> DeleteAsync(Caller caller, ObjectMetadata obj, string? id, bool dryRun, CancellationToken ct)
    {
        if (!caller.CanWrite) return RecordService.ReadOnlyKey(obj);
        if (FieldApplier.CheckWritable(obj) is { } managed) return managed;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var prepared = await PrepareDeleteAsync(caller, obj, id, ct);
            if (!prepared.IsOk) return prepared.Error;
            var writes = prepared.Value;
            var until = writes[0].Record.DeletedAt!.Value.AddDays(RetentionDays);
            if (dryRun) return new BinOutcome(writes[0].Record, writes.Skip(1).Select(w => w.Record).ToArray(), until, DryRun: true);
            var result = await store.CommitAsync(caller.Tenant, writes, null, ct);
            if (result.Committed) return new BinOutcome(writes[0].Record, writes.Skip(1).Select(w => w.Record).ToArray(), until, DryRun: false);
        }
        return new CrmError(ErrorCodes.Conflict, $"{obj.Name} '{id}' is being changed by others right now. Retry the delete.");
    }

    /// <summary>The writes that move a record and everything that goes with it to the bin: the record first.</summary>
    /// <param name="current">The record as an earlier write of the same transaction leaves it (it is not in the store yet).</param>
    internal async Task<CrmResult<List<RecordWrite>>> PrepareDeleteAsync(Caller caller, ObjectMetadata obj, string? id, CancellationToken ct, Record? current = null)
    {
        var parsed = RecordService.ParseOwnId(obj, id);
        if (!parsed.IsOk) return parsed.Error;
        var record = current ?? await store.GetAsync(caller.Tenant, obj, parsed.Value, ct);
        if (record is null) return CrmError.NotFound(obj.Name, id!);
        if (record.IsDeleted)
            return new CrmError(ErrorCodes.EntityIsDeleted, $"{obj.Name} '{id}' is already in the recycle bin. Use restore_record to bring it back.", "Id");
        var tenant = schemas is null ? null : await schemas.GetAsync(caller.Tenant, ct);
        var children = await CascadeAsync(caller, record, restoring: false, ct, tenant);
        var now = Now();
        var writes = new List<RecordWrite> { Moved(caller, record, deleted: true, now, deletedWith: null) };
        writes.AddRange(children.Select(c => Moved(caller, c.Record, deleted: true, now, deletedWith: c.ParentId)));
        if (tenant is not null)
        {
            var going = writes.Select(w => w.Record).ToArray();
            var references = await CustomReferenceDeletes.PrepareAsync(store, tenant, caller, going, now, ct);
            if (!references.IsOk) return references.Error;
            writes.AddRange(references.Value);
        }
        return writes;
    }

    public async Task<CrmResult<BinOutcome>> RestoreAsync(Caller caller, ObjectMetadata obj, string? id, bool dryRun, CancellationToken ct)
    {
        if (!caller.CanWrite) return RecordService.ReadOnlyKey(obj);
        if (FieldApplier.CheckWritable(obj) is { } managed) return managed;
        var parsed = RecordService.ParseOwnId(obj, id);
        if (!parsed.IsOk) return parsed.Error;

        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var record = await store.GetAsync(caller.Tenant, obj, parsed.Value, ct);
            if (record is null)
                return new CrmError(ErrorCodes.NotFound, $"no {obj.Name.ToLowerInvariant()} '{id}' in this org or its recycle bin (deleted records are purged after {RetentionDays} days).", "Id");
            if (!record.IsDeleted)
                return new CrmError(ErrorCodes.UndeleteFailed, $"{obj.Name} '{id}' is not deleted; there is nothing to restore.", "Id");
            if (record.DeletedWith is { } parentId && await ParentStillDeletedAsync(caller, parentId, ct) is { } parent)
                return new CrmError(ErrorCodes.UndeleteFailed,
                    $"{obj.Name} '{id}' was deleted together with {parent.Object.Name} '{parentId}' ({parent.DisplayName}). Restore that {parent.Object.Name} and this comes back with it.", "Id");

            if (await DeletedReferenceAsync(caller, record, ct) is { } dangling) return dangling;

            var children = await CascadeAsync(caller, record, restoring: true, ct, schemas is null ? null : await schemas.GetAsync(caller.Tenant, ct));
            if (dryRun) return new BinOutcome(record, children.Select(c => c.Record).ToArray(), null, DryRun: true);
            var now = Now();
            var writes = new List<RecordWrite> { Moved(caller, record, deleted: false, now, null) };
            writes.AddRange(children.Select(c => Moved(caller, c.Record, deleted: false, now, null)));
            var result = await store.CommitAsync(caller.Tenant, writes, null, ct);
            if (result.Committed) return new BinOutcome(writes[0].Record, writes.Skip(1).Select(w => w.Record).ToArray(), null, DryRun: false);
        }
        return new CrmError(ErrorCodes.Conflict, $"{obj.Name} '{id}' is being changed by others right now. Retry the restore.");
    }

    /// <summary>Removes for good what has been in the bin longer than the retention period.</summary>
    public Task<int> PurgeAsync(TenantId tenant, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return store.PurgeAsync(tenant, now.AddDays(-RetentionDays), now - Idempotency.Window, ct);
    }

    /// <summary>
    /// The records that go (or come back) with <paramref name="root"/>, each with the parent it
    /// follows. Deleting takes live children; restoring takes exactly the ones deleted with it.
    /// </summary>
    async Task<List<(Record Record, string ParentId)>> CascadeAsync(Caller caller, Record root, bool restoring, CancellationToken ct, Schema.TenantSchema? tenant = null)
    {
        var found = new List<(Record, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.Id };
        var parents = new Queue<Record>([root]);
        while (parents.TryDequeue(out var parent))
        {
            var links = Cascades.GetValueOrDefault(parent.Object.Name, []).Select(c => (c.Child, Field: c.Child.Field(c.Field)));
            if (tenant is not null)
                links = links.Concat(tenant.CustomReferencesTo(parent.Object).Where(c => c.ForeignKey.OnDelete == ReferenceDelete.Cascade).Select(c => (Child: c.Object, Field: c.ForeignKey)));
            foreach (var (child, field) in links)
                foreach (var record in await store.QueryAsync(caller.Tenant, child, ChildrenOf(child, field, parent.Id, deleted: restoring), ct))
                {
                    if (restoring && record.DeletedWith != parent.Id) continue;
                    if (!seen.Add(record.Id)) continue;
                    found.Add((record, parent.Id));
                    parents.Enqueue(record);
                }
        }
        return found;
    }

    /// <summary>A restore must not bring back a record that points at one still in the recycle bin.</summary>
    async Task<CrmError?> DeletedReferenceAsync(Caller caller, Record record, CancellationToken ct)
    {
        foreach (var field in record.Object.Fields)
        {
            if (field.Type != FieldType.Reference || field.System || record[field.Name] is not string targetId) continue;
            var targetObject = RecordService.ObjectOfId(targetId);
            if (!targetObject.IsOk) continue;
            var target = await store.GetAsync(caller.Tenant, targetObject.Value, targetId, ct);
            if (target is { IsDeleted: true })
                return new CrmError(ErrorCodes.UndeleteFailed,
                    $"{record.Object.Name} '{record.Id}' points through {field.Name} to {target.Object.Name} '{targetId}' ({target.DisplayName}), which is in the recycle bin. Restore that {target.Object.Name} first.", field.Name);
        }
        return null;
    }

    async Task<Record?> ParentStillDeletedAsync(Caller caller, string parentId, CancellationToken ct)
    {
        var parentObject = schemas is null ? RecordService.ObjectOfId(parentId) : RecordService.ObjectOfId(parentId, await schemas.GetAsync(caller.Tenant, ct));
        if (!parentObject.IsOk) return null;
        var parent = await store.GetAsync(caller.Tenant, parentObject.Value, parentId, ct);
        return parent is { IsDeleted: true } ? parent : null;
    }

    internal static RecordQuery ChildrenOf(ObjectMetadata child, FieldMetadata field, string parentId, bool deleted, int limit = MaxCascade) =>
        new([[new Condition(field, ConditionOp.Equals, parentId)]], child.Field("Id"), Descending: false, limit) { Deleted = deleted };

    internal static RecordWrite Moved(Caller caller, Record before, bool deleted, DateTime now, string? deletedWith)
    {
        var record = before.Copy();
        record["IsDeleted"] = deleted;
        record["LastModifiedDate"] = now;
        record["SystemModstamp"] = now;
        record["LastModifiedById"] = caller.ActorId;
        record.DeletedAt = deleted ? now : null;
        record.DeletedWith = deletedWith;
        var change = ChangeEntry.By(caller, record.Object.Name, record.Id, deleted ? ChangeOperations.Deleted : ChangeOperations.Restored,
            [new FieldChange("IsDeleted", !deleted, deleted)], now);
        return new RecordWrite(record, before.Version, change);
    }

    DateTime Now() => FieldValues.TruncateToMillis(time.GetUtcNow().UtcDateTime);
}
