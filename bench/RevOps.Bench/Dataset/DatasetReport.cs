using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RevOps.Bench.Dataset;

public sealed class DatasetReport
{
    public required string Benchmark { get; init; }
    public required DateTimeOffset StartedUtc { get; init; }
    public required string Command { get; init; }
    public required MachineInfo Machine { get; init; }
    public required DatasetServerInfo Server { get; init; }
    public required DatasetInfo Dataset { get; init; }
    public required string MixedWorkload { get; init; }
    public required int DurationSeconds { get; init; }
    public required double WarmupSeconds { get; init; }
    public required IReadOnlyList<ScenarioResult> Scenarios { get; init; }
    public required IReadOnlyList<TargetResult> Targets { get; init; }
}

public sealed record DatasetServerInfo(string Path, string? ProductVersion, string Gc, IReadOnlyList<double> ReadySeconds, double JitWarmupSeconds,
    [property: JsonPropertyName("rss_mib_after_run")] double? RssMiBAfterRun, [property: JsonPropertyName("peak_rss_mib")] double? PeakRssMiB);

/// <param name="Generated">True when this run generated it; false when it came from the cache.</param>
public sealed record DatasetInfo(string CacheKey, bool Generated, long Records, double GenerationSeconds, double GenerationRecordsPerSecond,
    [property: JsonPropertyName("size_mib")] double SizeMiB, ManifestCounts LargeTenant, int Tenants);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DatasetReport))]
[JsonSerializable(typeof(Soak.SoakReport))]
internal sealed partial class DatasetReportJson : JsonSerializerContext
{
    public static string Serialize<T>(T report)
    {
        var options = new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return JsonSerializer.Serialize(report, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)));
    }
}

public static class DatasetMarkdown
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The goals of the performance issue that this mode measures, against this run.</summary>
    public static IReadOnlyList<TargetResult> Targets(IReadOnlyList<ScenarioResult> scenarios, IReadOnlyList<double> readySeconds)
    {
        ScenarioResult? Find(string name, int c) => scenarios.FirstOrDefault(s => s.Scenario == name && s.Concurrency == c);
        TargetResult P50(string target, string name, int c, double goalMs)
        {
            var s = Find(name, c);
            return s?.P50Ms is { } p ? new(target, $"p50 <= {goalMs:0.#} ms", $"{p:0.###} ms", p <= goalMs) : new(target, $"p50 <= {goalMs:0.#} ms", "not measured", null);
        }
        TargetResult Rate(string target, string name, int c, double goal)
        {
            var s = Find(name, c);
            return s is null ? new(target, $">= {goal:N0} calls/s", "not measured", null) : new(target, $">= {goal:N0} calls/s", $"{s.CallsPerSecond:N0} calls/s", s.CallsPerSecond >= goal);
        }
        var targets = new List<TargetResult>
        {
            P50("search_contacts by email, 1M-contact tenant, c=1", DatasetScenarios.SearchEmail, 1, 2),
            P50("search_contacts by name prefix, 1M-contact tenant, c=1", DatasetScenarios.SearchName, 1, 2),
            P50("SOQL ORDER BY ... LIMIT 200 over 1M rows, c=1", DatasetScenarios.SoqlOrderLimit, 1, 20),
        };
        double? rss = scenarios.Max(s => s.ServerRssMiB);
        targets.Add(rss is { } r ? new("Server RSS under load (largest VmRSS of any measured phase)", "<= 250 MiB", $"{r:0} MiB", r <= 250) : new("Server RSS under load", "<= 250 MiB", "not measured", null));
        double median = readySeconds.Order().ElementAt(readySeconds.Count / 2) * 1000;
        targets.Add(new($"Ready after start with the dataset (median of {readySeconds.Count} starts)", "<= 500 ms", $"{median:0} ms ({string.Join(", ", readySeconds.Select(s => (s * 1000).ToString("0", Inv)))})", median <= 500));
        var health = Find(DatasetScenarios.Health, 1);
        var hot = Find(DatasetScenarios.GetContactHot, 1);
        targets.Add(health?.P50Ms is > 0 && hot?.P50Ms is { } g
            ? new("get_contact (hot) p50 vs /health p50, c=1", "<= 2x", $"{g / health.P50Ms.Value:0.00}x", g / health.P50Ms.Value <= 2)
            : new("get_contact (hot) p50 vs /health p50, c=1", "<= 2x", "not measured", null));
        targets.Add(Rate("get_contact (hot) throughput, c=32", DatasetScenarios.GetContactHot, 32, 15_000));
        targets.Add(Rate("create_contact throughput, c=32", DatasetScenarios.CreateContact, 32, 5_000));
        targets.Add(P50("create_contact p50, c=1", DatasetScenarios.CreateContact, 1, 1));
        return targets;
    }

    public static string Write(DatasetReport report)
    {
        var md = new StringBuilder();
        md.AppendLine(Inv, $"# RevOps benchmark: scenarios on a {report.Dataset.LargeTenant.Contacts:N0}-contact tenant ({report.StartedUtc:yyyy-MM-dd})");
        md.AppendLine();
        md.AppendLine(Inv, $"Command: `{report.Command}`");
        md.AppendLine();
        var m = report.Machine;
        md.AppendLine(Inv, $"Machine: {m.LogicalCores} logical cores{(m.CpuModel is null ? "" : $" ({m.CpuModel})")}, {m.Os}, {m.Runtime}. {m.Note}");
        md.AppendLine();
        var d = report.Dataset;
        md.AppendLine(Inv, $"Dataset `{d.CacheKey}`: {d.Records:N0} records in {d.Tenants} tenants ({d.SizeMiB:N0} MiB on disk), generated by `revops demo-data` in {d.GenerationSeconds:N0} s ({d.GenerationRecordsPerSecond:N0} records/s){(d.Generated ? "" : ", reused from the cache")}. " +
            $"The large tenant holds {d.LargeTenant.Accounts:N0} accounts, {d.LargeTenant.Contacts:N0} contacts, {d.LargeTenant.Opportunities:N0} opportunities and {d.LargeTenant.Tasks:N0} tasks; every scenario runs as that tenant.");
        md.AppendLine();
        var s = report.Server;
        md.AppendLine(Inv, $"Server: `{s.Path}`{(s.ProductVersion is null ? "" : $" ({s.ProductVersion})")}, {s.Gc} GC, on a copy of the dataset; {s.JitWarmupSeconds:0} s of mixed load until its JIT was quiet. " +
            $"Each scenario: {report.WarmupSeconds:0.#} s warm-up, then {report.DurationSeconds} s measured, closed loop; only verified answers count; other CPU is what the rest of the machine used meanwhile (other processes). Mixed: {report.MixedWorkload}.");
        md.AppendLine();
        md.AppendLine("| Scenario | c | calls/s | p50 ms | p90 ms | p99 ms | errors | p50 / health | calls/s / health | server CPU (cores) | server µs/call | server KB alloc/call | server RSS MiB (max) | client CPU (cores) | other CPU (cores) |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in report.Scenarios)
        {
            var health = report.Scenarios.FirstOrDefault(h => h.Scenario == DatasetScenarios.Health && h.Concurrency == r.Concurrency);
            string p50Ratio = r.P50Ms is { } p && health?.P50Ms is > 0 ? (p / health.P50Ms.Value).ToString("0.0", Inv) + "x" : "-";
            string rateRatio = health is { CallsPerSecond: > 0 } ? (r.CallsPerSecond / health.CallsPerSecond).ToString("0.000", Inv) : "-";
            md.AppendLine(Inv, $"| {DatasetScenarios.Label(r.Scenario)} | {r.Concurrency} | {r.CallsPerSecond:N0} | {F(r.P50Ms)} | {F(r.P90Ms)} | {F(r.P99Ms)} | {r.Errors} | {p50Ratio} | {rateRatio} | {r.ServerCpuCores:0.00} | {F(r.ServerCpuUsPerCall, "0")} | {F(r.ServerBytesAllocatedPerCall / 1024.0, "0.0")} | {F(r.ServerRssMiB, "0")} | {r.ClientCpuCores:0.00} | {F(r.OtherCpuCores, "0.00")} |");
        }
        md.AppendLine();
        AppendTargets(md, report.Targets);
        md.AppendLine();
        md.AppendLine(Inv, $"Server RSS after the run {F(s.RssMiBAfterRun, "0")} MiB, peak (VmHWM) {F(s.PeakRssMiB, "0")} MiB. Server allocations per call come from the runtime's allocation counter on /metrics, scraped before and after each phase.");
        AppendErrors(md, report.Scenarios, DatasetScenarios.Label);
        return md.ToString();
    }

    public static void AppendTargets(StringBuilder md, IReadOnlyList<TargetResult> targets)
    {
        md.AppendLine("| Target | Goal | Measured | Met |");
        md.AppendLine("|---|---|---|---|");
        foreach (var t in targets)
            md.AppendLine(Inv, $"| {t.Target} | {t.Goal} | {t.Measured} | {(t.Met switch { true => "yes", false => "no", null => "-" })} |");
    }

    public static void AppendErrors(StringBuilder md, IEnumerable<ScenarioResult> scenarios, Func<string, string> label)
    {
        var failed = scenarios.Where(r => r.Errors > 0 || r.WarmupErrors > 0).ToList();
        if (failed.Count == 0) return;
        md.AppendLine();
        md.AppendLine("Errors:");
        foreach (var r in failed)
            md.AppendLine(Inv, $"- {label(r.Scenario)} c={r.Concurrency}: {r.Errors} measured, {r.WarmupErrors} in warm-up; first: `{(r.FirstError ?? r.FirstWarmupError ?? "?").ReplaceLineEndings(" ")}`");
    }

    static string F(double? value, string format = "0.###") => value is { } v ? v.ToString(format, Inv) : "-";
}
