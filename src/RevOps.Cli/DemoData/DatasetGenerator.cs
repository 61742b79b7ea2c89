using System.Diagnostics;
using System.Text.Json;
using RevOps.Domain.Audit;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Storage;
using RevOps.Storage.Sqlite;

namespace RevOps.Cli.DemoData;

/// <summary>
/// Generates a <see cref="DatasetSpec"/> into a database: creates the tenants (each with an admin key),
/// fills each through <see cref="TenantGenerator"/> and writes the manifest beside the database.
/// </summary>
public sealed class DatasetGenerator(StorageBackend storage, TenantService tenants, SchemaService schemas, Action<string> log)
{
    public const string ManifestFile = "demo-data.json";
    const int LargeSampleSize = 2_000;
    const int SmallSampleSize = 20;
    static readonly string[] SmallTiers = ["free", "professional", "enterprise"];

    /// <summary>Generates everything; returns the manifest, also written to <paramref name="manifestPath"/>.</summary>
    public async Task<DatasetManifest> GenerateAsync(DatasetSpec spec, string manifestPath, int batchSize, CancellationToken ct)
    {
        if (storage.Database is SqliteDatabase sqlite) await SqliteBulkLoad.PrepareAsync(sqlite, 512, ct);
        var store = storage.Records;
        var generator = new TenantGenerator(store, schemas, batchSize, log);
        string directory = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        Directory.CreateDirectory(directory);
        long started = Stopwatch.GetTimestamp();
        var manifests = new List<TenantManifest>(spec.Tenants);
        var names = new Bogus.Faker("en") { Random = new Bogus.Randomizer(spec.Seed) };
        for (int i = 0; i < spec.Tenants; i++)
        {
            bool large = i == 0;
            string name = large ? "Globex Large Co (demo)" : $"{names.Company.CompanyName()} (demo {i})";
            string tier = large ? "enterprise" : SmallTiers[i % SmallTiers.Length];
            var created = await tenants.CreateTenantAsync(name, null, tier, AuditSource.Cli, ct);
            if (!created.IsOk) throw new InvalidOperationException($"Tenant '{name}' could not be created: {created.Error.Message}");
            string? idsPath = large ? Path.Combine(directory, Path.GetFileNameWithoutExtension(manifestPath) + ".large-contact-ids.txt") : null;
            var request = new TenantGenerator.Request(created.Value, spec.SizesOf(i), spec.Seed * 1_000 + i, NodeId(spec.Seed, i), large,
                large ? LargeSampleSize : SmallSampleSize, idsPath);
            manifests.Add(await generator.GenerateAsync(request, ct));
            if (!large && (i % 10 == 0 || i == spec.Tenants - 1)) log($"{i:N0} of {spec.Tenants - 1:N0} small tenants generated");
        }
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        long records = spec.Records;
        var manifest = new DatasetManifest(spec.Seed, spec.CacheKey, spec, DateTimeOffset.UtcNow, Path.GetFileName(storage.Location), records,
            Math.Round(seconds, 1), Math.Round(records / Math.Max(seconds, 1e-3)), manifests);
        await File.WriteAllTextAsync(manifestPath, JsonSerializer.Serialize(manifest, ManifestJson.Default.DatasetManifest), ct);
        return manifest;
    }

    /// <summary>A node id per tenant (so Ids are unique across tenants) that depends only on the seed.</summary>
    static int NodeId(int seed, int tenantIndex) => (int)(((uint)seed * 7_919u + (uint)tenantIndex) % (1u << 20));
}
