using System.Text.Json.Serialization;

namespace RevOps.Cli.DemoData;

/// <summary>
/// What `revops demo-data` wrote, for benchmarks and tests to use: each tenant's id and admin API key,
/// its record counts and a sample of its records with the values they were generated with.
/// </summary>
/// <param name="Database">The database file, beside the manifest.</param>
public sealed record DatasetManifest(
    int Seed,
    string CacheKey,
    DatasetSpec Spec,
    DateTimeOffset GeneratedAt,
    string Database,
    long Records,
    double Seconds,
    double RecordsPerSecond,
    IReadOnlyList<TenantManifest> Tenants);

/// <param name="ContactIdsFile">Every contact Id of the tenant, one per line (relative to the manifest), for reads spread over all of them.</param>
public sealed record TenantManifest(
    string TenantId,
    string Name,
    string Tier,
    string ApiKey,
    bool Large,
    TenantSizes Counts,
    string? ContactIdsFile,
    IReadOnlyList<ContactSample> Contacts,
    IReadOnlyList<AccountSample> Accounts,
    IReadOnlyList<OpportunitySample> Opportunities,
    IReadOnlyList<string> NamePrefixes);

public sealed record ContactSample(string Id, string FirstName, string LastName, string Email, string? AccountId);

public sealed record AccountSample(string Id, string Name);

public sealed record OpportunitySample(string Id, string Name, string StageName, string? AccountId);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DatasetManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
