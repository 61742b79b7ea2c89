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
            var rows = session.Connection.Query<ToolRow>(
                """
                SELECT tool AS Tool, SUM(calls) AS Calls, SUM(CASE WHEN success = 0 THEN calls ELSE 0 END) AS Errors, SUM(total_ms) AS TotalMs
                FROM usage_daily WHERE tenant_id = @Tenant AND day >= @From AND day <= @To
                GROUP BY tool ORDER BY SUM(calls) DESC, tool
                """,
                new { Tenant = tenant.ToString("D"), From = Day(from), To = Day(to) }).ToList();
            long total = rows.Sum(r => r.Calls);
            long errors = rows.Sum(r => r.Errors);
            double totalMs = rows.Sum(r => r.TotalMs);
            var tools = rows.Select(r => new ToolUsage(r.Tool, r.Calls, r.Errors, r.Calls == 0 ? 0 : r.TotalMs / r.Calls)).ToList();
            return new UsageReport(tenant, from, to, total, total - errors, total == 0 ? 0 : totalMs / total, tools);
        }));

    static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Settable properties, not a positional record: when no row matches, SQLite reports the SUM columns
    /// as untyped (byte[]), and Dapper then finds no constructor of that signature and throws.
    /// </summary>
    sealed class ToolRow
    {
        public string Tool { get; set; } = "";
        public long Calls { get; set; }
        public long Errors { get; set; }
        public double TotalMs { get; set; }
    }
}
