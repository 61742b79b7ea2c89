using System.CommandLine;
using System.Globalization;
using RevOps.Cli.DemoData;

namespace RevOps.Cli.Commands;

/// <summary>`revops demo-data`: realistic tenants and records written straight into the local database.</summary>
internal static class DemoDataCommand
{
    public static Command Create()
    {
        var defaults = DatasetSpec.Default;
        var seed = new Option<int>("--seed") { Description = "Seed of every generated value (default 42).", DefaultValueFactory = _ => defaults.Seed };
        var tenants = new Option<int>("--tenants") { Description = "Tenants to create; the first is the large one (default 100).", DefaultValueFactory = _ => defaults.Tenants };
        var large = new Option<string>("--large")
        {
            Description = "Sizes of the large tenant as accounts,contacts,opportunities,tasks (default 100000,1000000,200000,500000).",
            DefaultValueFactory = _ => Sizes(defaults.Large),
        };
        var small = new Option<string>("--small")
        {
            Description = "Sizes of every other tenant as accounts,contacts,opportunities,tasks (default 20,200,40,100).",
            DefaultValueFactory = _ => Sizes(defaults.Small),
        };
        var batch = new Option<int>("--batch") { Description = "Records per transaction (default 5000).", DefaultValueFactory = _ => 5_000 };
        var manifest = new Option<string?>("--manifest") { Description = $"Where to write the manifest (tenant ids, API keys, sample records); default DATA/{DatasetGenerator.ManifestFile}." };
        var data = CommonOptions.Data();
        var command = new Command("demo-data",
            "Generate realistic demo tenants (Accounts, Contacts, Opportunities, Tasks) straight into the local database, validated as API writes are, with their change-log and search rows; prints and writes a manifest.")
        {
            seed, tenants, large, small, batch, manifest, data,
        };
        command.SetAction(async (result, ct) =>
        {
            if (!TryParseSizes(result.GetValue(large)!, out var largeSizes)) return CommonOptions.Fail($"--large takes four counts (accounts,contacts,opportunities,tasks), not '{result.GetValue(large)}'.");
            if (!TryParseSizes(result.GetValue(small)!, out var smallSizes)) return CommonOptions.Fail($"--small takes four counts (accounts,contacts,opportunities,tasks), not '{result.GetValue(small)}'.");
            if (result.GetValue(tenants) < 1) return CommonOptions.Fail("--tenants must be at least 1.");
            if (result.GetValue(batch) < 1) return CommonOptions.Fail("--batch must be at least 1.");
            var spec = new DatasetSpec(result.GetValue(seed), result.GetValue(tenants), largeSizes, smallSizes);
            var options = CommonOptions.Local(result, data);
            string manifestPath = Path.GetFullPath(result.GetValue(manifest) ?? Path.Combine(options.DataDirectory, DatasetGenerator.ManifestFile));

            await using var store = LocalStore.Open(options);
            Console.Error.WriteLine($"Generating {spec.Records:N0} records in {spec.Tenants:N0} tenants into {store.Storage.Location} (seed {spec.Seed}) ...");
            var generator = new DatasetGenerator(store.Storage, store.Tenants, store.Schemas, message => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}"));
            var written = await generator.GenerateAsync(spec, manifestPath, result.GetValue(batch), ct);
            Console.Error.WriteLine($"Generated {written.Records:N0} records in {written.Seconds:N1} s ({written.RecordsPerSecond:N0} records/s); manifest: {manifestPath}");
            Console.WriteLine(manifestPath);
            return 0;
        });
        return command;
    }

    static string Sizes(TenantSizes s) => string.Create(CultureInfo.InvariantCulture, $"{s.Accounts},{s.Contacts},{s.Opportunities},{s.Tasks}");

    static bool TryParseSizes(string text, out TenantSizes sizes)
    {
        sizes = null!;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4) return false;
        var counts = new int[4];
        for (int i = 0; i < 4; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out counts[i])) return false;
        sizes = new TenantSizes(counts[0], counts[1], counts[2], counts[3]);
        return true;
    }
}
