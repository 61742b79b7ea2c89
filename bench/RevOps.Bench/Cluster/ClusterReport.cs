using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using RevOps.Bench.Dataset;

namespace RevOps.Bench.Cluster;

public sealed class ClusterReport
{
    public required string Benchmark { get; init; }
    public required DateTimeOffset StartedUtc { get; init; }
    public required string Command { get; init; }
    public required MachineInfo Machine { get; init; }
    public required MachineState MachineState { get; init; }
    public required string ServerPath { get; init; }
    public string? ServerVersion { get; init; }
    public required string ServerGc { get; init; }
    public required string Postgres { get; init; }
    public required ClusterDatasetInfo Dataset { get; init; }
    public required IReadOnlyList<NodeInfo> Nodes { get; init; }
    public required string MixedWorkload { get; init; }
    public required int DurationSeconds { get; init; }
    public required double WarmupSeconds { get; init; }
    public required IReadOnlyList<ClusterPhase> Phases { get; init; }
    public WakeUpResult? WakeUp { get; init; }
    public required IReadOnlyList<ScalingResult> Scaling { get; init; }
}

/// <summary>The load average (1 minute) from /proc/loadavg before and after the run, and the most CPU other processes took during any phase.</summary>
public sealed record MachineState(double? LoadBefore, double? LoadAfter, double? MaxOtherCpuCores, string Note)
{
    public static double? LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}

/// <param name="PostgresGenerationSeconds">revops demo-data --db into the shared database (not timed as load).</param>
/// <param name="SqliteGenerated">Whether this run generated the SQLite copy (false: it came from the dataset cache).</param>
public sealed record ClusterDatasetInfo(string CacheKey, int Seed, ManifestCounts Tenant, long Records, double PostgresGenerationSeconds, bool? SqliteGenerated);

/// <param name="JitWarmupSeconds">Load on this node alone before measuring, until its JIT tier-up thread was quiet.</param>
public sealed record NodeInfo(string Backend, string Name, int? NodeId, int Pid, string Url, double ReadySeconds, double JitWarmupSeconds);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ClusterReport))]
internal sealed partial class ClusterReportJson : JsonSerializerContext
{
    /// <summary>The report as JSON, leaving '+', '<' and the like readable (it is a file, not HTML).</summary>
    public static string Serialize(ClusterReport report)
    {
        var options = new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return JsonSerializer.Serialize(report, (JsonTypeInfo<ClusterReport>)options.GetTypeInfo(typeof(ClusterReport)));
    }
}
