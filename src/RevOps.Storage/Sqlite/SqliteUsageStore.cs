using System.Globalization;
using Dapper;
using RevOps.Domain.Stores;
using RevOps.Domain.Usage;

namespace RevOps.Storage.Sqlite;

public sealed class SqliteUsageStore(SqliteDatabase db) : IUsageStore
{
    const string AddDaily = """
        INSERT INTO usage_daily (tenant_id, day, tool, success, calls, total_ms) VALUES (@Tenant, @Day, @Tool, @Success, @Calls, @TotalMs)
        ON CONFLICT (tenant_id, day, tool, success) DO UPDATE SET calls = calls + excluded.calls, total_ms = total_ms + excluded.total_ms
        """;

    const string AddLatency = """
        INSERT INTO usage_latency (tenant_id, day, tool, bucket, calls) VALUES (@Tenant, @Day, @Tool, @Bucket, @Calls)
        ON CONFLICT (tenant_id, day, tool, bucket) DO UPDATE SET calls = calls + excluded.calls
        """;

    public Task AddAsync(IReadOnlyDictionary<UsageKey, UsageCounts> deltas, CancellationToken ct) =>
        db.WriteAsync(session =>
        {
            foreach (var (key, counts) in deltas)
            {
                string tenant = key.Tenant.ToString("D");
                string day = Day(key.Day);
                session.Connection.Execute(AddDaily, new { Tenant = tenant, Day = day, key.Tool, Success = key.Success ? 1 : 0, counts.Calls, TotalMs = counts.TotalMilliseconds });
                for (int bucket = 0; bucket < counts.Buckets.Length; bucket++)
                    if (counts.Buckets[bucket] > 0)
                        session.Connection.Execute(AddLatency, new { Tenant = tenant, Day = day, key.Tool, Bucket = bucket, Calls = counts.Buckets[bucket] });
            }
            return 0;
        }, ct);

    public Task<UsageReport> ReportAsync(Guid tenant, DateOnly from, DateOnly to, CancellationToken ct) =>
        Task.FromResult(db.Read(session =>
        {
            var range = new { Tenant = tenant.ToString("D"), From = Day(from), To = Day(to) };
            var calls = session.Connection.Query<CallRow>(
                "SELECT day AS Day, tool AS Tool, success AS Success, calls AS Calls, total_ms AS TotalMs FROM usage_daily WHERE tenant_id = @Tenant AND day >= @From AND day <= @To",
                range).Select(r => new UsageCallRow(ParseDay(r.Day), r.Tool, r.Success != 0, r.Calls, r.TotalMs));
            var latency = session.Connection.Query<LatencyRow>(
                "SELECT day AS Day, tool AS Tool, bucket AS Bucket, calls AS Calls FROM usage_latency WHERE tenant_id = @Tenant AND day >= @From AND day <= @To",
                range).Select(r => new UsageLatencyRow(ParseDay(r.Day), r.Tool, (int)r.Bucket, r.Calls));
            return UsageReportBuilder.Build(tenant, from, to, calls.ToList(), latency.ToList());
        }));

    static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static DateOnly ParseDay(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    sealed record CallRow(string Day, string Tool, long Success, long Calls, double TotalMs);

    sealed record LatencyRow(string Day, string Tool, long Bucket, long Calls);
}
