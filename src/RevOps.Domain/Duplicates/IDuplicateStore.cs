using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Duplicates;

/// <summary>The normalised key a candidate query compares (see <see cref="DuplicateKeys"/>; the store's indexes hold the same keys).</summary>
public enum DuplicateKey
{
    /// <summary>The email in lower case (ASCII).</summary>
    Email,
    /// <summary>The record's Name in lower case (ASCII).</summary>
    Name,
    /// <summary>The national part (last 10 digits) of Phone or MobilePhone.</summary>
    Phone,
    /// <summary>The Website's host, lower case, without scheme, "www." and path.</summary>
    Website,
}

/// <summary>A live record (deleted records and converted Leads are not candidates) that holds one of the keys looked for.</summary>
public sealed record DuplicateCandidate(string Object, string Id, string? Name, string? Email, string? Phone, string? MobilePhone,
    string? Company, string? AccountId, string? Website);

/// <summary>Each tenant's duplicate rule settings, and the indexed look-up of records that may duplicate new ones.</summary>
public interface IDuplicateStore
{
    /// <summary>The rules this tenant set (rules it never set are absent).</summary>
    Task<IReadOnlyDictionary<string, DuplicateAction>> RulesAsync(TenantId tenant, CancellationToken ct);

    /// <summary>Sets the rules' actions in one transaction.</summary>
    Task SetRulesAsync(TenantId tenant, IReadOnlyDictionary<string, DuplicateAction> rules, DateTime at, CancellationToken ct);

    /// <summary>Live Accounts, Contacts and Leads of the tenant whose <paramref name="key"/> is one of <paramref name="values"/>: one indexed query, at most <paramref name="limit"/> rows.</summary>
    Task<IReadOnlyList<DuplicateCandidate>> FindAsync(TenantId tenant, DuplicateKey key, IReadOnlyCollection<string> values, int limit, CancellationToken ct);
}
