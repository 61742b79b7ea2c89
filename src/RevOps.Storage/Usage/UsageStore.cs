using System.Data.Common;
using System.Globalization;
using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Usage;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Usage;

/// <summary>
/// Usage totals per tenant, day and tool, on either engine. A flush holds several tenants' counts: one
/// write transaction visits each tenant in turn (<see cref="SqlDatabase.WriteInEachTenantAsync"/>), adding
/// them to the stored totals with an upsert.
/// </summary>
internal sealed class UsageStore(SqlDatabase db) : IUsageStore
{
    // The old value is named by its table: PostgreSQL would find a bare "calls" ambiguous with excluded's.
    const string AddDaily = """
        INSERT INTO usage_daily (tenant_id, day, tool, success, calls, total_ms) VALUES (@tenant, @day, @tool, @success, @calls, @total_ms)
        ON CONFLICT (tenant_id, day, tool, success) DO UPDATE SET calls = usage_daily.calls + excluded.calls, total_ms = usage_daily.total_ms + excluded.total_ms
        """;

    const string AddLatency = """
        INSERT INTO usage_latency (tenant_id, day, tool, bucket, calls) VALUES (@tenant, @day, @tool, @bucket, @calls)
        ON CONFLICT (tenant_id, day, tool, bucket) DO UPDATE SET calls = usage_latency.calls + excluded.calls
        """;

    const string Calls = "SELECT day, tool, success, calls, total_ms FROM usage_daily WHERE tenant_id = @tenant AND day >= @from AND day <= @to";

    const string Latency = "SELECT day, tool, bucket, calls FROM usage_latency WHERE tenant_id = @tenant AND day >= @from AND day <= @to";

    public Task AddAsync(IReadOnlyDictionary<UsageKey, UsageCounts> deltas, CancellationToken ct)
    {
        var byTenant = deltas.GroupBy(d => d.Key.Tenant).ToDictionary(g => new TenantId(g.Key), g => g.ToList());
        return db.WriteInEachTenantAsync(byTenant.Keys, async (session, tenant) =>
        {
            var d = session.Dialect;
            foreach (var (key, counts) in byTenant[tenant])
            {
                var daily = session.Command(AddDaily);
                d.AddTenant(daily, tenant);
                d.Add(daily, "@day", key.Day, StorageKind.Date);
                d.AddText(daily, "@tool", key.Tool);
                d.Add(daily, "@success", key.Success, StorageKind.Boolean);
                d.AddLong(daily, "@calls", counts.Calls);
                d.Add(daily, "@total_ms", counts.TotalMilliseconds, StorageKind.Real);
                await daily.ExecuteNonQueryAsync(ct);
                for (int bucket = 0; bucket < counts.Buckets.Length; bucket++)
                {
                    if (counts.Buckets[bucket] == 0) continue;
                    var latency = session.Command(AddLatency);
                    d.AddTenant(latency, tenant);
                    d.Add(latency, "@day", key.Day, StorageKind.Date);
                    d.AddText(latency, "@tool", key.Tool);
                    d.AddLong(latency, "@bucket", bucket);
                    d.AddLong(latency, "@calls", counts.Buckets[bucket]);
                    await latency.ExecuteNonQueryAsync(ct);
                }
            }
        }, ct);
    }

    public Task<UsageReport> ReportAsync(Guid tenant, DateOnly from, DateOnly to, CancellationToken ct) =>
        db.ReadAsync(new TenantId(tenant), async session =>
        {
            var d = session.Dialect;
            var calls = new List<UsageCallRow>();
            await using (var reader = await Range(session, Calls, tenant, from, to).ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                    calls.Add(new UsageCallRow(Day(d, reader, 0), reader.GetString(1), (bool)d.Read(reader, 2, StorageKind.Boolean)!,
                        reader.GetInt64(3), reader.GetDouble(4)));
            var latency = new List<UsageLatencyRow>();
            await using (var reader = await Range(session, Latency, tenant, from, to).ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                    latency.Add(new UsageLatencyRow(Day(d, reader, 0), reader.GetString(1),
                        Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture), reader.GetInt64(3)));
            return UsageReportBuilder.Build(tenant, from, to, calls, latency);
        }, ct);

    static DbCommand Range(SqlSession session, string sql, Guid tenant, DateOnly from, DateOnly to)
    {
        var command = session.Command(sql);
        session.Dialect.AddTenant(command, new TenantId(tenant));
        session.Dialect.Add(command, "@from", from, StorageKind.Date);
        session.Dialect.Add(command, "@to", to, StorageKind.Date);
        return command;
    }

    static DateOnly Day(SqlDialect d, DbDataReader reader, int ordinal) => (DateOnly)d.Read(reader, ordinal, StorageKind.Date)!;
}
