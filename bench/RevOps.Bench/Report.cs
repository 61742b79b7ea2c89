using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RevOps.Bench;

public sealed class BenchReport
{
    public required string Benchmark { get; init; }
    public required DateTimeOffset StartedUtc { get; init; }
    public required string Command { get; init; }
    public required MachineInfo Machine { get; init; }
    public required ServerInfo Server { get; init; }
    public required RunSettings Settings { get; init; }
    public required IReadOnlyList<ScenarioResult> Scenarios { get; init; }
    public required IReadOnlyList<RatioResult> Ratios { get; init; }
    public required IReadOnlyList<TargetResult> Targets { get; init; }
}

public sealed record MachineInfo(int LogicalCores, string? CpuModel, string Os, string Runtime, string Architecture, string Note);

public sealed class ServerInfo
{
    public required string Path { get; init; }
    public string? ProductVersion { get; init; }
    public required string Gc { get; init; }
    public double StartupSeconds { get; init; }
    public double SeedSeconds { get; init; }
    /// <summary>Mixed load before the scenarios until the server's JIT tier-up thread went quiet.</summary>
    public double JitWarmupSeconds { get; init; }
    [JsonPropertyName("rss_mib_after_warmup")]
    public double? RssMiBAfterWarmup { get; init; }
    [JsonPropertyName("rss_mib_after_seed")]
    public double? RssMiBAfterSeed { get; init; }
    [JsonPropertyName("rss_mib_after_run")]
    public double? RssMiBAfterRun { get; init; }
    [JsonPropertyName("peak_rss_mib")]
    public double? PeakRssMiB { get; init; }
}

public sealed record RunSettings(int DurationSeconds, double WarmupSeconds, int SeededContacts, int[] Concurrency, string Transport);

/// <summary>MCP get_contact against GET /health at one concurrency, from the same run.</summary>
public sealed record RatioResult(int Concurrency, double? P50Ratio, double? ThroughputRatio);

public sealed record TargetResult(string Target, string Goal, string Measured, bool? Met);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchJson : JsonSerializerContext
{
    /// <summary>The report as JSON, leaving '+', '<' and the like readable (it is a file, not HTML).</summary>
    public static string Serialize(BenchReport report)
    {
        var options = new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return JsonSerializer.Serialize(report, (JsonTypeInfo<BenchReport>)options.GetTypeInfo(typeof(BenchReport)));
    }
}

/// <summary>Tool arguments keep the server's field names (PascalCase, as in Salesforce).</summary>
[JsonSerializable(typeof(SeedContact))]
[JsonSerializable(typeof(string))]
internal sealed partial class ToolArgumentsJson : JsonSerializerContext;

public static class ReportBuilder
{
    public const string Health = "health";
    public const string GetContact = "get_contact";
    public const string CreateContact = "create_contact";

    public static IReadOnlyList<RatioResult> Ratios(IReadOnlyList<ScenarioResult> scenarios, IEnumerable<int> concurrencies) =>
        concurrencies.Select(c =>
        {
            var health = Find(scenarios, Health, c);
            var get = Find(scenarios, GetContact, c);
            double? p50 = health?.P50Ms is > 0 && get?.P50Ms is { } g ? Math.Round(g / health.P50Ms.Value, 2) : null;
            double? throughput = health is { CallsPerSecond: > 0 } && get is not null ? Math.Round(get.CallsPerSecond / health.CallsPerSecond, 3) : null;
            return new RatioResult(c, p50, throughput);
        }).ToList();

    /// <summary>The goals from the performance issue, against this run.</summary>
    public static IReadOnlyList<TargetResult> Targets(IReadOnlyList<ScenarioResult> scenarios, IReadOnlyList<RatioResult> ratios)
    {
        var targets = new List<TargetResult>();
        var ratio1 = ratios.FirstOrDefault(r => r.Concurrency == 1);
        targets.Add(ratio1?.P50Ratio is { } r1
            ? new TargetResult("MCP get_contact p50 vs GET /health p50, c=1", "<= 2x", $"{r1:0.00}x", r1 <= 2)
            : new TargetResult("MCP get_contact p50 vs GET /health p50, c=1", "<= 2x", "not measured", null));
        targets.Add(Throughput(Find(scenarios, GetContact, 32), "MCP get_contact throughput, c=32", 15_000));
        targets.Add(Throughput(Find(scenarios, CreateContact, 32), "MCP create_contact throughput, c=32", 5_000));
        var create1 = Find(scenarios, CreateContact, 1);
        targets.Add(create1?.P50Ms is { } p
            ? new TargetResult("MCP create_contact p50, c=1", "<= 1 ms", $"{p:0.###} ms", p <= 1)
            : new TargetResult("MCP create_contact p50, c=1", "<= 1 ms", "not measured", null));
        return targets;

        static TargetResult Throughput(ScenarioResult? s, string name, double goal) => s is null
            ? new TargetResult(name, $">= {goal:N0} calls/s", "not measured", null)
            : new TargetResult(name, $">= {goal:N0} calls/s", $"{s.CallsPerSecond:N0} calls/s", s.CallsPerSecond >= goal);
    }

    static ScenarioResult? Find(IReadOnlyList<ScenarioResult> scenarios, string name, int concurrency) =>
        scenarios.FirstOrDefault(s => s.Scenario == name && s.Concurrency == concurrency);

    public static string Markdown(BenchReport report)
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.AppendLine(inv, $"# RevOps benchmark: MCP get_contact vs GET /health, create_contact ({report.StartedUtc:yyyy-MM-dd})");
        md.AppendLine();
        md.AppendLine(inv, $"Command: `{report.Command}`");
        md.AppendLine();
        var m = report.Machine;
        md.AppendLine(inv, $"Machine: {m.LogicalCores} logical cores{(m.CpuModel is null ? "" : $" ({m.CpuModel})")}, {m.Os}, {m.Runtime}, {m.Architecture}. {m.Note}");
        md.AppendLine();
        var s = report.Server;
        md.Append(inv, $"Server: `{s.Path}`{(s.ProductVersion is null ? "" : $" (version {s.ProductVersion})")}, {s.Gc} GC, started as a default deployment ");
        md.Append("(a temp directory as working directory, data in ./data under it, console logging as configured); ");
        md.AppendLine(inv, $"{report.Settings.SeededContacts:N0} contacts seeded through create_contact in {s.SeedSeconds:0.0} s, then {s.JitWarmupSeconds:0} s of mixed load until the server's JIT tier-up thread was quiet.");
        md.AppendLine();
        md.Append(inv, $"Each scenario: {report.Settings.WarmupSeconds:0.#} s warm-up (discarded), then {report.Settings.DurationSeconds} s measured; closed loop ");
        md.Append(inv, $"(each of N workers waits for its answer before the next call); calls/s and latencies count correct answers only. {report.Settings.Transport} ");
        md.AppendLine("CPU columns: CPU time per wall second (cores) of the server, of the load generator and of everything else on the machine, and per call.");
        md.AppendLine();
        md.AppendLine("| Scenario | Concurrency | calls/s | p50 ms | p90 ms | p99 ms | errors | server CPU (cores) | client CPU (cores) | other CPU (cores) | server CPU µs/call | client CPU µs/call |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in report.Scenarios)
            md.AppendLine(inv, $"| {Label(r.Scenario)} | {r.Concurrency} | {r.CallsPerSecond:N0} | {F(r.P50Ms)} | {F(r.P90Ms)} | {F(r.P99Ms)} | {r.Errors} | {r.ServerCpuCores:0.00} | {r.ClientCpuCores:0.00} | {F(r.OtherCpuCores, "0.00")} | {F(r.ServerCpuUsPerCall, "0")} | {F(r.ClientCpuUsPerCall, "0")} |");
        md.AppendLine();
        md.AppendLine("| get_contact vs /health (same run) | " + string.Join(" | ", report.Ratios.Select(r => $"c={r.Concurrency}")) + " |");
        md.AppendLine("|---|" + string.Concat(report.Ratios.Select(_ => "---:|")));
        md.AppendLine("| p50 ratio (get_contact / health) | " + string.Join(" | ", report.Ratios.Select(r => r.P50Ratio is { } v ? v.ToString("0.00", inv) + "x" : "-")) + " |");
        md.AppendLine("| throughput ratio (get_contact / health) | " + string.Join(" | ", report.Ratios.Select(r => r.ThroughputRatio is { } v ? v.ToString("0.000", inv) : "-")) + " |");
        md.AppendLine();
        md.AppendLine("| Target | Goal | Measured | Met |");
        md.AppendLine("|---|---|---|---|");
        foreach (var t in report.Targets)
            md.AppendLine(inv, $"| {t.Target} | {t.Goal} | {t.Measured} | {(t.Met switch { true => "yes", false => "no", null => "-" })} |");
        md.AppendLine();
        md.AppendLine(inv, $"Server RSS (VmRSS): {F(s.RssMiBAfterSeed, "0")} MiB after seeding, {F(s.RssMiBAfterWarmup, "0")} MiB after the JIT warm-up, {F(s.RssMiBAfterRun, "0")} MiB after the run; peak (VmHWM) {F(s.PeakRssMiB, "0")} MiB.");
        if (report.Scenarios.Select(r => r.ServerJitCores).Max() is { } jit)
            md.AppendLine(inv, $"Server JIT tier-up thread during the measured phases: at most {jit:0.00} cores (near 0 means the numbers are not JIT warm-up).");
        var failed = report.Scenarios.Where(r => r.Errors > 0 || r.WarmupErrors > 0).ToList();
        if (failed.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Errors:");
            foreach (var r in failed)
                md.AppendLine(inv, $"- {Label(r.Scenario)} c={r.Concurrency}: {r.Errors} measured, {r.WarmupErrors} in warm-up; first: `{(r.FirstError ?? r.FirstWarmupError ?? "?").ReplaceLineEndings(" ")}`");
        }
        return md.ToString();
    }

    public static string Label(string scenario) => scenario switch
    {
        Health => "GET /health",
        GetContact => "MCP get_contact",
        CreateContact => "MCP create_contact",
        _ => scenario,
    };

    static string F(double? value, string format = "0.###") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
