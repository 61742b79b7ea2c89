using System.Text.Json;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

/// <summary>
/// The records a batch's items point to through standard reference fields (a contact's AccountId), looked up in one
/// query per target object before the items are prepared, instead of one look-up per item: on PostgreSQL each
/// look-up was a transaction of its own, two round trips per imported row. Users are left to the per-item check,
/// which also needs them active; an Id not found here is still looked up by that check, so its errors are unchanged.
/// </summary>
internal static class BatchReferences
{
    public static async Task<IReadOnlySet<string>?> FindLiveAsync(IRecordStore store, TenantId tenant, IReadOnlyList<BatchItem> items, CancellationToken ct)
    {
        Dictionary<ObjectMetadata, HashSet<string>>? byTarget = null;
        foreach (var item in items)
        {
            if (item.Operation == BatchOperation.Delete) continue;
            foreach (var (name, value) in item.Input.Fields)
            {
                if (value.ValueKind != JsonValueKind.String || !item.Object.TryGetField(name, out var field)) continue;
                if (field.Type != FieldType.Reference || field.System || !SalesforceId.TryNormalize(value.GetString(), out var id)) continue;
                var target = StandardObjects.ForKeyPrefix(SalesforceId.KeyPrefix(id));
                if (target is null || target == StandardObjects.User) continue;
                byTarget ??= [];
                if (!byTarget.TryGetValue(target, out var ids)) byTarget[target] = ids = new HashSet<string>(StringComparer.Ordinal);
                ids.Add(id);
            }
        }
        if (byTarget is null) return null;
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (target, ids) in byTarget) live.UnionWith(await store.LiveAmongAsync(tenant, target, ids, ct));
        return live;
    }
}
