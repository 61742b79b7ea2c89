using System.Diagnostics;
using System.Globalization;
using RevOps.Bench.Dataset;

namespace RevOps.Bench.Cluster;

/// <summary>
/// The tenant the nodes share, generated into the PostgreSQL database with `revops demo-data --db`
/// (the dataset mode's generator: the same records for the same seed, each through the domain's create
/// path, with change-log and search rows). Only the manifest and the Id list stay in a local directory.
/// </summary>
public sealed record ClusterDataset(Manifest Manifest, string[] ContactIds, double Seconds)
{
    public ManifestTenant Tenant => Manifest.Large;

    public static async Task<ClusterDataset> GenerateAsync(string serverDll, string connectionString, string directory, int seed, DatasetCache.Sizes sizes,
        CancellationToken ct)
    {
        long started = Stopwatch.GetTimestamp();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        // One tenant: the nodes share it, so every write of both nodes goes to the same tenant row.
        foreach (string arg in new[] { serverDll, "demo-data", "--db", connectionString, "--data", directory, "--tenants", "1",
                     "--seed", seed.ToString(CultureInfo.InvariantCulture), "--large", sizes.Argument })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started.");
        var stderr = process.StandardError.ReadToEndAsync(ct);
        string output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"revops demo-data --db failed with exit code {process.ExitCode}: {output}\n{await stderr}");
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        string manifestPath = output.TrimEnd().Split('\n')[^1].Trim();
        var manifest = Manifest.Read(manifestPath);
        var tenant = manifest.Large;
        string[] ids = tenant.ContactIdsFile is { } file
            ? await File.ReadAllLinesAsync(Path.Combine(Path.GetDirectoryName(manifestPath)!, file), ct)
            : tenant.Contacts.Select(c => c.Id).ToArray();
        return new ClusterDataset(manifest, ids, seconds);
    }
}
