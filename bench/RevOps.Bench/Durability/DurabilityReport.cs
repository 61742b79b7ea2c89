using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RevOps.Bench.Durability;

public sealed class DurabilityReport
{
    public const string Setting = "SQLite WAL with synchronous=FULL and group commit: a write is answered only after the transaction holding it "
        + "(record, change-log row, idempotency key) is committed and the WAL fsynced.";

    public const string PostgresSetting = "PostgreSQL (--db): a write is answered only after the transaction holding it (record, change-log row, "
        + "idempotency key) is committed; what survives a crash of PostgreSQL itself is its synchronous_commit's business (this run kills the RevOps server, not PostgreSQL).";

    public required DateTimeOffset StartedUtc { get; init; }
    public required string Command { get; init; }
    public required MachineInfo Machine { get; init; }
    public required string ServerPath { get; init; }
    public string? ServerVersion { get; init; }
    public string DurabilitySetting { get; init; } = Setting;
    public required DurabilitySettings Settings { get; init; }
    public required double DurationSeconds { get; init; }
    public required IReadOnlyList<ChannelFigures> Channels { get; init; }
    public required IReadOnlyList<CycleFigures> Cycles { get; init; }
    public required IReadOnlyList<CheckResult> Checks { get; init; }
    public required DurabilityTotals Totals { get; init; }
}

public sealed record DurabilitySettings(int Cycles, int Tenants, int WritersPerChannelPerTenant, int Writers, double KillAfterMinSeconds, double KillAfterMaxSeconds, int Seed);

/// <param name="Acknowledged">Records (a collection call acknowledges several) or updates the server answered as done, retries included.</param>
/// <param name="InFlightAtKill">Calls a kill left without an answer (sent, or being sent).</param>
/// <param name="InFlightCommitted">Of those, the calls found committed after the restart: the kill took only the answer.</param>
public sealed record ChannelFigures(string Channel, string Request, int Writers, long Acknowledged, long Refused, long InFlightAtKill, long InFlightCommitted,
    long Retried, long Replayed, long Found, long Lost);

public sealed record CycleFigures(int Cycle, double PlannedLoadSeconds, double LoadSeconds, long AcknowledgedBeforeKill, int InFlightAtKill,
    long InFlightCommitted, int ExitCode, double RestartSeconds);

public sealed record DurabilityTotals(long Acknowledged, long InFlightAtKill, long InFlightCommitted, long Found, long Lost, int ChecksPassed, int ChecksFailed);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DurabilityReport))]
internal sealed partial class DurabilityJson : JsonSerializerContext
{
    public static string Serialize(DurabilityReport report)
    {
        var options = new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return JsonSerializer.Serialize(report, (JsonTypeInfo<DurabilityReport>)options.GetTypeInfo(typeof(DurabilityReport)));
    }
}

public static class DurabilityMarkdown
{
    public static string Write(DurabilityReport r)
    {
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        var s = r.Settings;
        Line($"# Durability: SIGKILL under load ({r.StartedUtc:yyyy-MM-dd})");
        Line($"");
        Line($"Command: `{r.Command}`");
        Line($"");
        Line($"Machine: {r.Machine.LogicalCores} logical cores ({r.Machine.CpuModel}), {r.Machine.Os}, {r.Machine.Runtime}; load generator and server share them. Server: `{r.ServerPath}` ({r.ServerVersion}).");
        Line($"");
        Line($"Durability setting: {r.DurabilitySetting}");
        Line($"");
        Line($"{s.Writers} writers ({s.WritersPerChannelPerTenant} per channel in each of {s.Tenants} tenants) wrote as fast as the server answered. After {s.KillAfterMinSeconds:0.#}–{s.KillAfterMaxSeconds:0.#} s of load (seed {s.Seed}) the server was killed with SIGKILL and restarted on the same data directory; {s.Cycles} kills in {r.DurationSeconds:0} s. After each restart the writes whose answers were lost were looked up and, for MCP, retried with their idempotency_key. After the last one everything was read back through the API (SOQL and GET /api/changes).");
        Line($"");
        Line($"## Writes per channel");
        Line($"");
        Line($"| Channel | Request | Writers | Acknowledged | Refused | In flight at a kill (no answer) | of which committed | Retried | Replayed | Found at the end | Lost |");
        Line($"|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in r.Channels)
            Line($"| {c.Channel} | {c.Request} | {c.Writers} | {c.Acknowledged:N0} | {c.Refused:N0} | {c.InFlightAtKill:N0} | {c.InFlightCommitted:N0} | {c.Retried:N0} | {c.Replayed:N0} | {c.Found:N0} | {c.Lost:N0} |");
        var t = r.Totals;
        Line($"| **total** | | {s.Writers} | {t.Acknowledged:N0} | {r.Channels.Sum(c => c.Refused):N0} | {t.InFlightAtKill:N0} | {t.InFlightCommitted:N0} | {r.Channels.Sum(c => c.Retried):N0} | {r.Channels.Sum(c => c.Replayed):N0} | {t.Found:N0} | **{t.Lost:N0}** |");
        Line($"");
        Line($"Acknowledged and found count records for creates (a collection call acknowledges {RestCollectionWriter.RecordsPerCall}) and updates for updates, retries included; in flight, committed and retried count calls. \"Of which committed\": the server had committed the write and the kill took only its answer.");
        Line($"");
        Line($"## Kill cycles");
        Line($"");
        Line($"| Cycle | Load before the kill (s) | Acknowledged in the cycle | In flight at the kill | of which committed | Exit code | Restart to /health (s) |");
        Line($"|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var c in r.Cycles)
            Line($"| {c.Cycle} | {c.LoadSeconds:0.00} | {c.AcknowledgedBeforeKill:N0} | {c.InFlightAtKill} | {c.InFlightCommitted} | {c.ExitCode} | {c.RestartSeconds:0.00} |");
        Line($"");
        Line($"## Checks");
        Line($"");
        Line($"| Check | Promise | Cases | Violations | Result |");
        Line($"|---|---|---:|---:|---|");
        foreach (var c in r.Checks)
            Line($"| `{c.Name}` | {c.Promise} | {c.Examined:N0} | {c.Violations:N0} | {(c.Passed ? "passed" : "**FAILED**")} |");
        foreach (var c in r.Checks.Where(c => c.Examples.Count > 0))
        {
            Line($"");
            Line($"Violations of `{c.Name}` (first {c.Examples.Count}):");
            foreach (string example in c.Examples) Line($"- {example}");
        }
        Line($"");
        Line($"durability: {t.ChecksPassed} passed, {t.ChecksFailed} failed");
        return md.ToString();
    }
}
