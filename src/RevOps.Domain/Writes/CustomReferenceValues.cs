using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Rules;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

/// <summary>
/// The values of custom Lookup and Master-Detail fields on a write: each must name a live record of its target
/// object in the caller's tenant (custom objects' key prefixes are the tenant's own), and a detail takes its
/// owner from its master, as Salesforce's master-detail does.
/// </summary>
public static class CustomReferenceValues
{
    public static async Task<CrmError?> CheckAsync(IRecordStore store, TenantSchema tenant, Caller caller, ObjectSchema schema, Record record,
        IReadOnlySet<string> sent, CancellationToken ct, IReadOnlySet<string>? pending = null)
    {
        var obj = schema.Object;
        foreach (var field in schema.CustomFields)
        {
            if (!field.IsCustomReference || !sent.Contains(field.Name) || !record.Custom.TryGetValue(field.Name, out var json)) continue;
            string targetId = json.GetString()!;
            string expected = field.ReferenceTo[0];
            if (!tenant.TryGetObject(expected, out var target))
                return new CrmError(ErrorCodes.InvalidCrossReference, $"{obj.Name}.{field.Name} points to {expected}, which this org no longer has.", field.Name);
            var actual = tenant.ForKeyPrefix(SalesforceId.KeyPrefix(targetId));
            if (actual is null || actual.Name != target.Name)
                return new CrmError(ErrorCodes.InvalidCrossReference,
                    $"{obj.Name}.{field.Name} must point to {Suggestions.WithArticle(target.Name)} ({target.KeyPrefix}…); '{targetId}' is the Id of {(actual is null ? "no object of this org" : Suggestions.WithArticle(actual.Name))}. Send the Id of {Suggestions.WithArticle(target.Name)}.",
                    field.Name);
            if (targetId == record.Values[0] as string)
                return new CrmError(ErrorCodes.InvalidFieldValue, $"{obj.Name}.{field.Name} cannot point to the record itself ('{targetId}').", field.Name);
            if (pending?.Contains(targetId) == true) continue;
            var found = await store.GetAsync(caller.Tenant, target, targetId, ct);
            if (found is null || found.IsDeleted)
                return new CrmError(ErrorCodes.InvalidCrossReference,
                    $"{obj.Name}.{field.Name}: no {target.Name} '{targetId}' in this org. Send the Id of an existing {target.Name} (find_records with object {target.Name}), or leave {field.Name} out.",
                    field.Name);
            if (field.OnDelete == ReferenceDelete.Cascade && target.TryGetField("OwnerId", out _) && found["OwnerId"] is string owner)
                record["OwnerId"] = owner;
        }
        return null;
    }
}
