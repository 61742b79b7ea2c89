using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

/// <summary>
/// What a delete does through custom Lookups that point at the records going to the bin: a restrict Lookup
/// refuses the delete while a live record points there; a clear Lookup is emptied on each such record, with its
/// change-log entry, in the delete's own transaction. (Master-Detail children go with the delete: <see cref="RecycleBin"/>.)
/// </summary>
internal static class CustomReferenceDeletes
{
    const int MaxCleared = 100_000;

    public static async Task<CrmResult<List<RecordWrite>>> PrepareAsync(IRecordStore store, TenantSchema tenant, Caller caller, IReadOnlyList<Record> going,
        DateTime now, CancellationToken ct)
    {
        var goingIds = going.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var cleared = new Dictionary<string, (Record Before, Record After, List<FieldChange> Changes)>(StringComparer.Ordinal);
        foreach (var record in going)
        {
            foreach (var reference in tenant.CustomReferencesTo(record.Object))
            {
                var field = reference.ForeignKey;
                if (field.OnDelete == ReferenceDelete.Cascade) continue;
                int limit = field.OnDelete == ReferenceDelete.Restrict ? 1 : MaxCleared;
                var pointing = await store.QueryAsync(caller.Tenant, reference.Object, RecycleBin.ChildrenOf(reference.Object, field, record.Id, deleted: false, limit), ct);
                foreach (var child in pointing)
                {
                    if (goingIds.Contains(child.Id)) continue;
                    if (field.OnDelete == ReferenceDelete.Restrict)
                        return new CrmError(ErrorCodes.DeleteFailed,
                            $"{record.Object.Name} '{record.Id}' ({record.DisplayName}) cannot be deleted: {reference.Object.Name} '{child.Id}' ({child.DisplayName}) points to it through {field.Name}, a Lookup that restricts deletes. Change or delete the {reference.Object.Label ?? reference.Object.Name} records whose {field.Name} is '{record.Id}' first.",
                            "Id");
                    if (!cleared.TryGetValue(child.Id, out var entry))
                    {
                        entry = (child, child.Copy(), []);
                        cleared[child.Id] = entry;
                    }
                    if (entry.After.Custom.TryGetValue(field.Name, out var old))
                    {
                        entry.After.Custom.Remove(field.Name);
                        entry.Changes.Add(new FieldChange(field.Name, old, null));
                    }
                }
            }
        }
        var writes = new List<RecordWrite>();
        foreach (var (before, after, changes) in cleared.Values)
        {
            after["LastModifiedDate"] = now;
            after["SystemModstamp"] = now;
            after["LastModifiedById"] = caller.ActorId;
            writes.Add(new RecordWrite(after, before.Version, ChangeEntry.By(caller, after.Object.Name, after.Id, ChangeOperations.Updated, changes, now)));
        }
        return writes;
    }
}
