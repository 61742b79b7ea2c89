using Npgsql;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Usage;

namespace RevOps.Storage.Postgres;

/// <summary>Usage totals. A flush holds several tenants' counts: one transaction visits each tenant in turn.</summary>
internal sealed class PostgresUsageStore(PostgresDatabase db) : IUsageStore
{
    const string AddDaily = """
        INSERT INTO usage_daily (tenant_id, day, tool, success, calls, total_ms) VALUES (@tenant, @day, @tool, @success, @calls, @total_ms)
        ON CONFLICT (tenant_id, day, tool, success) DO UPDATE SET calls = usage_daily.calls + excluded.calls, total_ms = usage_daily.total_ms + excluded.total_ms
        """;

    const string AddLatency = """
        INSERT INTO usage_latency (tenant_id, day, tool, bucket, calls) VALUES (@tenant, @day, @tool, @bucket, @calls)
        ON CONFLICT (tenant_id, day, tool, bucket) DO UPDATE SET calls = usage_latency.calls + excluded.calls
        """;

    public Task AddAsync(IReadOnlyDictionary<UsageKey, UsageCounts> deltas, CancellationToken ct)
    {
        var byTenant = deltas.GroupBy(d => d.Key.Tenant).ToDictionary(g => new TenantId(g.Key), g => g.ToList());
        return db.InEachTenantAsync(byTenant.Keys, async (connection, tenant) =>
        {
            foreach (var (key, counts) in byTenant[tenant])
            {
                await using (var daily = new NpgsqlCommand(AddDaily, connection))
                {
                    PostgresValues.AddTenant(daily.Parameters, tenant);
                    daily.Parameters.AddWithValue("day", key.Day);
                    PostgresValues.Add(daily.Parameters, "tool", key.Tool);
                    daily.Parameters.AddWithValue("success", key.Success);
                    daily.Parameters.AddWithValue("calls", counts.Calls);
                    daily.Parameters.AddWithValue("total_ms", counts.TotalMilliseconds);
                    await daily.ExecuteNonQueryAsync(ct);
                }
                for (int bucket = 0; bucket < counts.Buckets.Length; bucket++)
                {
                    if (counts.Buckets[bucket] == 0) continue;
                    await using var latency = new NpgsqlCommand(AddLatency, connection);
                    PostgresValues.AddTenant(latency.Parameters, tenant);
                    latency.Parameters.AddWithValue("day", key.Day);
                    PostgresValues.Add(latency.Parameters, "tool", key.Tool);
                    latency.Parameters.AddWithValue("bucket", bucket);
                    latency.Parameters.AddWithValue("calls", (long)counts.Buckets[bucket]);
                    await latency.ExecuteNonQueryAsync(ct);
                }
            }
        }, ct);
    }

    public Task<UsageReport> ReportAsync(Guid tenant, DateOnly from, DateOnly to, CancellationToken ct) =>
        db.InTenantAsync(new TenantId(tenant), async connection =>
        {
            var calls = new List<UsageCallRow>();
            await using (var command = new NpgsqlCommand(
                "SELECT day, tool, success, calls, total_ms FROM usage_daily WHERE tenant_id = @tenant AND day >= @from AND day <= @to", connection))
            {
                Range(command, tenant, from, to);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    calls.Add(new UsageCallRow(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetBoolean(2), reader.GetInt64(3), reader.GetDouble(4)));
            }
            var latency = new List<UsageLatencyRow>();
            await using (var command = new NpgsqlCommand(
                "SELECT day, tool, bucket, calls FROM usage_latency WHERE tenant_id = @tenant AND day >= @from AND day <= @to", connection))
            {
                Range(command, tenant, from, to);
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                    latency.Add(new UsageLatencyRow(reader.GetFieldValue<DateOnly>(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3)));
            }
            return UsageReportBuilder.Build(tenant, from, to, calls, latency);
        }, ct);

    static void Range(NpgsqlCommand command, Guid tenant, DateOnly from, DateOnly to)
    {
        PostgresValues.AddTenant(command.Parameters, new TenantId(tenant));
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
    }
}
