using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using RevOps.Bench.Dataset;

namespace RevOps.Bench.Soak;

public sealed class SoakReport
{
    public required string Benchmark { get; init; }
    public required DateTimeOffset StartedUtc { get; init; }
    public required string Command { get; init; }
    public required MachineInfo Machine { get; init; }
    public required DatasetInfo Dataset { get; init; }
    public required string Workload { get; init; }
    public required int Concurrency { get; init; }
    public required int WindowSeconds { get; init; }
    public required double JitWarmupSeconds { get; init; }
    /// <summary>Least-squares slope of VmRSS over the windows after the first minute.</summary>
    [JsonPropertyName("rss_slope_mib_per_minute")]
    public required double? RssSlopeMiBPerMinute { get; init; }
    [JsonPropertyName("p99_slope_ms_per_minute")]
    public required double? P99SlopeMsPerMinute { get; init; }
    public required IReadOnlyList<SoakSample> Samples { get; init; }
    public required IReadOnlyList<TargetResult> Targets { get; init; }
}

/// <param name="Seconds">End of the window, from the start of the soak.</param>
public sealed record SoakSample(double Seconds, [property: JsonPropertyName("rss_mib")] double? RssMiB, [property: JsonPropertyName("peak_rss_mib")] double? PeakRssMiB,
    double CallsPerSecond, double? P50Ms, double? P99Ms, long Errors, double ServerCpuCores, long? ServerBytesAllocatedPerCall);

public static class SoakMarkdown
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Slope (per minute) of the least-squares line through (seconds, value) for the samples after <paramref name="fromSeconds"/>.</summary>
    public static double? Slope(IEnumerable<SoakSample> samples, Func<SoakSample, double?> value, double fromSeconds)
    {
        var points = samples.Where(s => s.Seconds > fromSeconds && value(s) is not null).Select(s => (X: s.Seconds / 60, Y: value(s)!.Value)).ToList();
        if (points.Count < 3) return null;
        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        double sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxx == 0 ? null : Math.Round(points.Sum(p => (p.X - mx) * (p.Y - my)) / sxx, 3);
    }

    public static string Write(SoakReport report)
    {
        var md = new StringBuilder();
        double minutes = report.Samples.Count == 0 ? 0 : report.Samples[^1].Seconds / 60;
        md.AppendLine(Inv, $"# RevOps soak: {minutes:0.#} minutes of the mixed agent workload on a {report.Dataset.LargeTenant.Contacts:N0}-contact tenant ({report.StartedUtc:yyyy-MM-dd})");
        md.AppendLine();
        md.AppendLine(Inv, $"Command: `{report.Command}`");
        md.AppendLine();
        md.AppendLine(Inv, $"Machine: {report.Machine.LogicalCores} logical cores, {report.Machine.Os}, {report.Machine.Runtime}. {report.Machine.Note}");
        md.AppendLine();
        md.AppendLine(Inv, $"Dataset `{report.Dataset.CacheKey}` ({report.Dataset.Records:N0} records, {report.Dataset.SizeMiB:N0} MiB). Workload: {report.Workload}; {report.Concurrency} closed-loop clients; " +
            $"after {report.JitWarmupSeconds:0} s of JIT warm-up, RSS (VmRSS) and the latency of the last {report.WindowSeconds} s are sampled every {report.WindowSeconds} s.");
        md.AppendLine();
        md.AppendLine(Inv, $"**RSS slope after the first minute: {F(report.RssSlopeMiBPerMinute, "0.###")} MiB/min** (least squares over {report.Samples.Count(s => s.Seconds > 60)} samples); p99 slope {F(report.P99SlopeMsPerMinute, "0.###")} ms/min.");
        md.AppendLine();
        DatasetMarkdown.AppendTargets(md, report.Targets);
        md.AppendLine();
        md.AppendLine("| t (s) | RSS MiB | peak MiB | calls/s | p50 ms | p99 ms | errors | server CPU (cores) | server KB alloc/call |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in report.Samples)
            md.AppendLine(Inv, $"| {s.Seconds:0} | {F(s.RssMiB, "0.0")} | {F(s.PeakRssMiB, "0.0")} | {s.CallsPerSecond:N0} | {F(s.P50Ms)} | {F(s.P99Ms)} | {s.Errors} | {s.ServerCpuCores:0.00} | {F(s.ServerBytesAllocatedPerCall / 1024.0, "0.0")} |");
        return md.ToString();
    }

    static string F(double? value, string format = "0.###") => value is { } v ? v.ToString(format, Inv) : "-";
}
