using System.Text.Json;
using System.Text.Json.Serialization;

namespace RevOps.Bench.Dataset;

/// <summary>The parts of `revops demo-data`'s manifest (demo-data.json) the bench uses; the bench reads it as a client would, without the src projects.</summary>
public sealed record Manifest(int Seed, string CacheKey, long Records, double Seconds, double RecordsPerSecond, IReadOnlyList<ManifestTenant> Tenants)
{
    public ManifestTenant Large => Tenants.First(t => t.Large);

    public static Manifest Read(string path) =>
        JsonSerializer.Deserialize(File.ReadAllText(path), ManifestJson.Default.Manifest) ?? throw new InvalidDataException($"{path} is not a demo-data manifest.");
}

public sealed record ManifestTenant(
    string TenantId, string Name, string ApiKey, bool Large, ManifestCounts Counts, string? ContactIdsFile,
    IReadOnlyList<ManifestContact> Contacts, IReadOnlyList<ManifestAccount> Accounts, IReadOnlyList<ManifestOpportunity> Opportunities,
    IReadOnlyList<string> NamePrefixes);

public sealed record ManifestCounts(int Accounts, int Contacts, int Opportunities, int Tasks);

public sealed record ManifestContact(string Id, string FirstName, string LastName, string Email, string? AccountId);

public sealed record ManifestAccount(string Id, string Name);

public sealed record ManifestOpportunity(string Id, string Name, string StageName, string? AccountId);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(Manifest))]
internal sealed partial class ManifestJson : JsonSerializerContext;
