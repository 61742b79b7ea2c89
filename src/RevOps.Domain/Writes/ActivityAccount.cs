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
    public static async Task DeriveAsync(IRecordStore store, TenantId tenant, Record record, CancellationToken ct)
    {
        if (record.Object != StandardObjects.Task) return;
        record["AccountId"] = await AccountOfAsync(store, tenant, record["WhatId"] as string, record["WhoId"] as string, ct);
    }

    static async Task<string?> AccountOfAsync(IRecordStore store, TenantId tenant, string? whatId, string? whoId, CancellationToken ct)
    {
        if (whatId is not null)
        {
            string prefix = SalesforceId.KeyPrefix(whatId);
            if (prefix == StandardObjects.Account.KeyPrefix) return whatId;
            if (prefix == StandardObjects.Opportunity.KeyPrefix)
                return (await store.GetAsync(tenant, StandardObjects.Opportunity, whatId, ct))?["AccountId"] as string;
        }
        if (whoId is not null && SalesforceId.KeyPrefix(whoId) == StandardObjects.Contact.KeyPrefix)
            return (await store.GetAsync(tenant, StandardObjects.Contact, whoId, ct))?["AccountId"] as string;
        return null;
    }
}
