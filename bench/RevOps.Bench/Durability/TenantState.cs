using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>What one tenant holds after the last restart, read through the API only: contacts, opportunities, accounts, users and the change log.</summary>
public sealed class TenantState
{
    public const string OpportunityFields = "Id, Name, StageName, Amount, NextStep, OwnerId";

    TenantState(TenantRun tenant, List<JsonElement> contacts, List<JsonElement> opportunities, List<JsonElement> accounts, List<JsonElement> users, List<ChangeLine> changes)
    {
        UserIds = users.Select(IdOf).ToHashSet(StringComparer.Ordinal);
        AccountIds = accounts.Select(IdOf).ToHashSet(StringComparer.Ordinal);
        Tenant = tenant;
        Contacts = contacts;
        Opportunities = opportunities;
        Changes = changes;
        ContactsById = contacts.ToDictionary(IdOf, StringComparer.Ordinal);
        ContactsByLastName = contacts.ToLookup(c => c.GetProperty("LastName").GetString() ?? "", StringComparer.Ordinal);
        OpportunitiesById = opportunities.ToDictionary(IdOf, StringComparer.Ordinal);
        ChangesByRecord = changes.ToLookup(c => c.RecordId, StringComparer.Ordinal);
    }

    public TenantRun Tenant { get; }
    public IReadOnlyList<JsonElement> Contacts { get; }
    public IReadOnlyList<JsonElement> Opportunities { get; }
    public IReadOnlyList<ChangeLine> Changes { get; }
    /// <summary>The org's users: the first one (made with the tenant, no change row) and those the writers made.</summary>
    public IReadOnlySet<string> UserIds { get; }
    /// <summary>The accounts composite/tree created with their contacts.</summary>
    public IReadOnlySet<string> AccountIds { get; }
    public IReadOnlyDictionary<string, JsonElement> ContactsById { get; }
    public ILookup<string, JsonElement> ContactsByLastName { get; }
    public IReadOnlyDictionary<string, JsonElement> OpportunitiesById { get; }
    public ILookup<string, ChangeLine> ChangesByRecord { get; }

    public static async Task<TenantState> ReadAsync(CrmClient client, TenantRun tenant, CancellationToken ct)
    {
        // The change log is read last: any record read before it must already have its row.
        var contacts = await client.QueryAsync($"SELECT {ContactSpec.SelectFields} FROM Contact", ct);
        var opportunities = await client.QueryAsync($"SELECT {OpportunityFields} FROM Opportunity", ct);
        var accounts = await client.QueryAsync("SELECT Id FROM Account", ct);
        var users = await client.QueryAsync("SELECT Id FROM User", ct);
        var changes = await client.ChangesAsync(ct);
        return new TenantState(tenant, contacts, opportunities, accounts, users, changes);
    }

    public IEnumerable<ChangeLine> Created(string recordId) => ChangesByRecord[recordId].Where(c => c.Operation == "created");

    public static string IdOf(JsonElement row) => row.GetProperty("Id").GetString()!;
}
