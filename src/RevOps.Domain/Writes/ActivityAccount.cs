using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Writes;

/// <summary>
/// Task.AccountId, derived as Salesforce derives it: the WhatId itself when it is an Account, the
/// Account of an Opportunity WhatId; otherwise the Account of a Contact WhoId; otherwise null.
/// </summary>
public static class ActivityAccount
{
    /// <summary>Sets the task's AccountId from its WhatId and WhoId as they are now.</summary>
    /// <param name="batch">Records written earlier in the same transaction (not in the store yet), by Id.</param>
    public static async Task DeriveAsync(IRecordStore store, TenantId tenant, Record record, CancellationToken ct,
        IReadOnlyDictionary<string, Record>? batch = null)
    {
        if (record.Object != StandardObjects.Task) return;
        record["AccountId"] = await AccountOfAsync(store, tenant, record["WhatId"] as string, record["WhoId"] as string, batch, ct);
    }

    static async Task<string?> AccountOfAsync(IRecordStore store, TenantId tenant, string? whatId, string? whoId,
        IReadOnlyDictionary<string, Record>? batch, CancellationToken ct)
    {
        if (whatId is not null)
        {
            string prefix = SalesforceId.KeyPrefix(whatId);
            if (prefix == StandardObjects.Account.KeyPrefix) return whatId;
            if (prefix == StandardObjects.Opportunity.KeyPrefix)
                return (await FindAsync(store, tenant, StandardObjects.Opportunity, whatId, batch, ct))?["AccountId"] as string;
        }
        if (whoId is not null && SalesforceId.KeyPrefix(whoId) == StandardObjects.Contact.KeyPrefix)
            return (await FindAsync(store, tenant, StandardObjects.Contact, whoId, batch, ct))?["AccountId"] as string;
        return null;
    }

    static async Task<Record?> FindAsync(IRecordStore store, TenantId tenant, ObjectMetadata obj, string id, IReadOnlyDictionary<string, Record>? batch, CancellationToken ct) =>
        batch?.GetValueOrDefault(id) ?? await store.GetAsync(tenant, obj, id, ct);
}
