using System.Diagnostics.Metrics;
using RevOps.Domain.Telemetry;

namespace RevOps.Server.Observability;

/// <summary>What /metrics reports about calls: latency per channel and tool or route, errors by code, rate-limit refusals.</summary>
public static class RequestMetrics
{
    static readonly Histogram<double> Duration = RevOpsMeters.Meter.CreateHistogram<double>("revops.request.duration", "s",
        "Duration of MCP tool calls and REST API calls by channel, operation (tool or route) and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    static readonly Counter<long> Errors = RevOpsMeters.Meter.CreateCounter<long>("revops.errors", "{error}",
        "Errors answered to callers, by channel and error code (e.g. REQUIRED_FIELD_MISSING, NOT_FOUND).");

    static readonly Counter<long> RateLimited = RevOpsMeters.Meter.CreateCounter<long>("revops.rate_limited", "{request}",
        "Requests refused by the per-tenant rate limit, by subscription tier.");

    public static void Call(string channel, string operation, bool success, TimeSpan elapsed) =>
        Duration.Record(elapsed.TotalSeconds, new("channel", channel), new("operation", operation), new("outcome", success ? "ok" : "error"));

    public static void Error(string channel, string code) => Errors.Add(1, new("channel", channel), new("code", code));

    public static void Refused(string tier) => RateLimited.Add(1, new KeyValuePair<string, object?>("tier", tier));
}
