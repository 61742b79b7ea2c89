using System.Diagnostics.Metrics;

namespace RevOps.Storage.Sql;

/// <summary>Group commit's one measure, the same for both engines: how many writes shared a transaction.</summary>
internal static class WriteBatches
{
    public static readonly Histogram<int> Sizes = Domain.Telemetry.RevOpsMeters.Meter.CreateHistogram<int>(
        "revops.write.batch_size", "{write}", "Writes committed together in one transaction (one fsync).",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
}
