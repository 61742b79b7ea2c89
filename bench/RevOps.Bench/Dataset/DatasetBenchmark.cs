namespace RevOps.Bench.Dataset;

/// <summary>
/// `revops-bench dataset`: the issue's scenarios against a real server on the generated dataset (one
/// large tenant among many), each at every concurrency with GET /health from the same run for ratios.
/// </summary>
public static class DatasetBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        if (DatasetOptions.ParseOrExplain(args, out var options) is { } exit) return exit;
        string[] chosen = options.Scenarios ?? DatasetScenarios.All;
        if (chosen.Except(DatasetScenarios.All).FirstOrDefault() is { } unknown)
        {
            Console.Error.WriteLine($"Unknown scenario '{unknown}'. Scenarios: {string.Join(", ", DatasetScenarios.All)}");
            return 2;
        }
        var started = DateTimeOffset.UtcNow;
        using var run = await DatasetRun.StartAsync(options, options.Concurrency.Max(), Log, ct);
        try
        {
            double jit = await run.WarmUpJitAsync(options.JitWarmupMaxSeconds, Log, ct);
            var results = new List<ScenarioResult>();
            async Task Measure(string scenario, int c)
            {
                if (!chosen.Contains(scenario)) return;
                var r = await LoadRunner.RunAsync(scenario, c, run.Scenarios.Factory(scenario), TimeSpan.FromSeconds(options.WarmupSeconds),
                    TimeSpan.FromSeconds(options.DurationSeconds), run.Server, ct);
                results.Add(r);
                Log($"{DatasetScenarios.Label(scenario)} c={c}: {r.CallsPerSecond:N0}/s p50 {r.P50Ms:0.###} ms p99 {r.P99Ms:0.###} ms errors {r.Errors}, server {r.ServerCpuCores:0.00} cores, {r.ServerBytesAllocatedPerCall / 1024.0:0.0} KB/call, RSS {r.ServerRssMiB:0} MiB"
                    + (r.FirstError is null ? "" : $"\n  first error: {r.FirstError}"));
            }
            foreach (int c in options.Concurrency)
                foreach (var scenario in DatasetScenarios.Reads) await Measure(scenario, c);
            foreach (var scenario in DatasetScenarios.Writes)
                foreach (int c in options.Concurrency) await Measure(scenario, c);

            var memory = run.Server.Memory();
            var report = new DatasetReport
            {
                Benchmark = "dataset",
                StartedUtc = started,
                Command = BuildInfo.Command(["dataset", .. args]),
                Machine = BuildInfo.Machine("Load generator and server share these cores with whatever else runs; HTTP/1.1 over loopback."),
                Server = new DatasetServerInfo(options.ServerDll, BuildInfo.ProductVersion(options.ServerDll), BuildInfo.ServerGc(options.ServerDll), run.ReadySeconds,
                    Math.Round(jit, 1), memory.RssMiB is { } rss ? Math.Round(rss, 1) : null, memory.PeakRssMiB is { } peak ? Math.Round(peak, 1) : null),
                Dataset = Describe(run),
                MixedWorkload = DatasetScenarios.MixedDescription,
                DurationSeconds = options.DurationSeconds,
                WarmupSeconds = options.WarmupSeconds,
                Scenarios = results,
                Targets = DatasetMarkdown.Targets(results, run.ReadySeconds),
            };
            await ReportFiles.WriteAsync(options.OutDirectory, started, "dataset", DatasetReportJson.Serialize(report), DatasetMarkdown.Write(report), ct);
            return results.Sum(r => r.Errors) > 0 ? 3 : 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"Benchmark failed: {e}");
            Console.Error.WriteLine(run.Server.LogTail());
            return 1;
        }
    }

    public static DatasetInfo Describe(DatasetRun run) =>
        new(run.Manifest.CacheKey, run.Generated, run.Manifest.Records, run.Manifest.Seconds, run.Manifest.RecordsPerSecond, Math.Round(run.DatasetMiB),
            run.Manifest.Large.Counts, run.Manifest.Tenants.Count);

    public static void Log(string message) => Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
