using System.Diagnostics.Metrics;

namespace RevOps.Domain.Telemetry;

/// <summary>
/// The one meter every layer reports on (instruments are created where the thing is measured);
/// /metrics exports it. Instruments cost nothing until a listener subscribes.
/// </summary>
public static class RevOpsMeters
{
    public const string Name = "RevOps";
    public static readonly Meter Meter = new(Name);

    /// <summary>Tenant schema lookups answered from the cache (hit) or the store (miss).</summary>
    public static readonly Counter<long> SchemaCacheLookups = Meter.CreateCounter<long>("revops.schema_cache.lookups", "{lookup}",
        "Tenant schema lookups by result (hit or miss).");
}
