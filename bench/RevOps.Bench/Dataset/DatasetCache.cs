using System.Diagnostics;
using System.Globalization;

namespace RevOps.Bench.Dataset;

/// <summary>
/// Generated datasets kept under bench/out/datasets/&lt;key&gt; (gitignored), keyed by seed and sizes, so a
/// second run reuses the first one's. A dataset is generated into &lt;key&gt;.partial and renamed when
/// complete, so an interrupted generation is never reused.
/// </summary>
public static class DatasetCache
{
    /// <summary>DatasetSpec.GeneratorVersion of the revops build the bench expects.</summary>
    const int GeneratorVersion = 2;

    public sealed record Sizes(int Accounts, int Contacts, int Opportunities, int Tasks)
    {
        public string Argument => string.Create(CultureInfo.InvariantCulture, $"{Accounts},{Contacts},{Opportunities},{Tasks}");
        public string Key => string.Create(CultureInfo.InvariantCulture, $"{Accounts}a-{Contacts}c-{Opportunities}o-{Tasks}t");
    }

    /// <summary>The cached data directory (revops.db, demo-data.json, …) for the spec, generating it with `revops demo-data` when missing.</summary>
    public static async Task<(string DataDirectory, bool Generated)> GetAsync(string cacheRoot, string serverDll, int seed, int tenants, Sizes large, Sizes small,
        Action<string> log, CancellationToken ct)
    {
        // Must match DatasetSpec.CacheKey in src/RevOps.Cli/DemoData, generator version included (checked against the manifest below).
        string key = string.Create(CultureInfo.InvariantCulture, $"v{GeneratorVersion}-seed{seed}-tenants{tenants}-large-{large.Key}-small-{small.Key}");
        string done = Path.Combine(cacheRoot, key);
        string data = Path.Combine(done, "data");
        if (File.Exists(Path.Combine(data, "demo-data.json")))
        {
            log($"Reusing the cached dataset {done}");
            return (data, false);
        }
        string partial = done + ".partial";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        log($"Generating the dataset with revops demo-data into {partial} (once; later runs reuse it) ...");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = false };
        foreach (string arg in new[] { serverDll, "demo-data", "--data", Path.Combine(partial, "data"), "--seed", seed.ToString(CultureInfo.InvariantCulture),
                     "--tenants", tenants.ToString(CultureInfo.InvariantCulture), "--large", large.Argument, "--small", small.Argument })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started.");
        string output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"revops demo-data failed with exit code {process.ExitCode}: {output}");
        var manifest = Manifest.Read(Path.Combine(partial, "data", "demo-data.json"));
        if (manifest.CacheKey != key) throw new InvalidOperationException($"demo-data names the dataset '{manifest.CacheKey}', the bench expected '{key}'.");
        Directory.Move(partial, done);
        return (data, true);
    }
}
