using System.Diagnostics;
using RevOps.Bench.Dataset;

namespace RevOps.Bench.Soak;

/// <summary>
/// `revops-bench soak`: the mixed agent workload for many minutes on the generated dataset, as
/// back-to-back windows; each window gives the server's RSS at its end and its own latency
/// percentiles, so a leak shows as an RSS slope and a degradation as a p99 trend.
/// </summary>
public static class SoakBenchmark
{
    /// <summary>RSS grows while caches and the heap warm up; the slope is fitted after this.</summary>
    const double SettleSeconds = 60;
    /// <summary>Flat means less than this many MiB per minute (a 10-minute soak then grows by under 10 MiB).</summary>
    const double FlatMiBPerMinute = 1.0;

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        if (DatasetOptions.ParseOrExplain(args, out var options) is { } exit) return exit;
        var started = DateTimeOffset.UtcNow;
        using var run = await DatasetRun.StartAsync(options with { ReadyRuns = 1 }, options.SoakConcurrency, DatasetBenchmark.Log, ct);
        double jit = await run.WarmUpJitAsync(options.JitWarmupMaxSeconds, DatasetBenchmark.Log, ct);

        var samples = new List<SoakSample>();
        var window = TimeSpan.FromSeconds(options.WindowSeconds);
        var factory = run.Scenarios.Factory(DatasetScenarios.Mixed);
        long begin = Stopwatch.GetTimestamp();
        double total = options.Minutes * 60;
        while (Stopwatch.GetElapsedTime(begin).TotalSeconds < total)
        {
            var r = await LoadRunner.RunAsync(DatasetScenarios.Mixed, options.SoakConcurrency, factory, TimeSpan.Zero, window, run.Server, ct);
            var memory = run.Server.Memory();
            var sample = new SoakSample(Math.Round(Stopwatch.GetElapsedTime(begin).TotalSeconds, 1), Round(memory.RssMiB), Round(memory.PeakRssMiB),
                r.CallsPerSecond, r.P50Ms, r.P99Ms, r.Errors, r.ServerCpuCores, r.ServerBytesAllocatedPerCall);
            samples.Add(sample);
            DatasetBenchmark.Log($"t={sample.Seconds:0} s: RSS {sample.RssMiB:0.0} MiB, {sample.CallsPerSecond:N0}/s, p50 {sample.P50Ms:0.##} ms, p99 {sample.P99Ms:0.##} ms, errors {sample.Errors}"
                + (r.FirstError is null ? "" : $" ({r.FirstError})"));
        }

        double? rssSlope = SoakMarkdown.Slope(samples, s => s.RssMiB, SettleSeconds);
        double? p99Slope = SoakMarkdown.Slope(samples, s => s.P99Ms, SettleSeconds);
        long errors = samples.Sum(s => s.Errors);
        var report = new SoakReport
        {
            Benchmark = "soak",
            StartedUtc = started,
            Command = BuildInfo.Command(["soak", .. args]),
            Machine = BuildInfo.Machine("Load generator and server share these cores with whatever else runs; HTTP/1.1 over loopback."),
            Dataset = DatasetBenchmark.Describe(run),
            Workload = DatasetScenarios.MixedDescription,
            Concurrency = options.SoakConcurrency,
            WindowSeconds = options.WindowSeconds,
            JitWarmupSeconds = Math.Round(jit, 1),
            RssSlopeMiBPerMinute = rssSlope,
            P99SlopeMsPerMinute = p99Slope,
            Samples = samples,
            Targets =
            [
                rssSlope is { } slope
                    ? new TargetResult("Memory flat under mixed load (VmRSS slope after the first minute)", $"abs(slope) < {FlatMiBPerMinute:0.#} MiB/min", $"{slope:0.###} MiB/min", Math.Abs(slope) < FlatMiBPerMinute)
                    : new TargetResult("Memory flat under mixed load", $"abs(slope) < {FlatMiBPerMinute:0.#} MiB/min", "too few samples", null),
                samples.Max(s => s.RssMiB) is { } max
                    ? new TargetResult("Server RSS under load (largest sample)", "<= 250 MiB", $"{max:0} MiB", max <= 250)
                    : new TargetResult("Server RSS under load", "<= 250 MiB", "not measured", null),
                new TargetResult("Errors", "0", errors.ToString(System.Globalization.CultureInfo.InvariantCulture), errors == 0),
            ],
        };
        await ReportFiles.WriteAsync(options.OutDirectory, started, "soak", DatasetReportJson.Serialize(report), SoakMarkdown.Write(report), ct);
        return errors > 0 ? 3 : 0;
    }

    static double? Round(double? value) => value is { } v ? Math.Round(v, 1) : null;
}
