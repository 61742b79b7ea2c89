using Npgsql;
using RevOps.Domain.Pipeline;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Postgres;

/// <summary>
/// The pipeline sums in one statement (one snapshot): open opportunities grouped by stage and by
/// close month, closed ones in the period grouped by won/lost. Sums of no amounts are 0, as
/// SQLite's total() gives. Two fixed texts, with and without the account filter.
/// </summary>
internal sealed class PostgresPipelineStore(PostgresDatabase db) : IPipelineStore
{
    const string AccountFilter = " AND AccountId = @account";

    const string Template = """
        SELECT 0, StageName, count(*), coalesce(sum(Amount), 0), coalesce(sum(Amount * Probability / 100.0), 0)
        FROM opportunity WHERE tenant_id = @tenant AND NOT IsDeleted AND NOT IsClosed{account}
        GROUP BY StageName
        UNION ALL
        SELECT 1, to_char(CloseDate, 'YYYY-MM'), count(*), coalesce(sum(Amount), 0), coalesce(sum(Amount * Probability / 100.0), 0)
        FROM opportunity WHERE tenant_id = @tenant AND NOT IsDeleted AND NOT IsClosed{account}
        GROUP BY to_char(CloseDate, 'YYYY-MM')
        UNION ALL
        SELECT 2, CASE WHEN IsWon THEN 'Won' ELSE 'Lost' END, count(*), coalesce(sum(Amount), 0), coalesce(sum(Amount * Probability / 100.0), 0)
        FROM opportunity WHERE tenant_id = @tenant AND NOT IsDeleted AND IsClosed{account}
          AND CloseDate >= @from AND CloseDate <= @to
        GROUP BY IsWon
        """;

    static readonly string AllSql = Template.Replace("{account}", "");
    static readonly string AccountSql = Template.Replace("{account}", AccountFilter);

    public Task<PipelineFigures> SummarizeAsync(TenantId tenant, string? accountId, DateOnly from, DateOnly to, CancellationToken ct) =>
        db.InTenantAsync(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand(accountId is null ? AllSql : AccountSql, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            if (accountId is not null) PostgresValues.Add(command.Parameters, "account", accountId);
            command.Parameters.AddWithValue("from", from);
            command.Parameters.AddWithValue("to", to);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var byStage = new List<PipelineBucket>();
            var byMonth = new List<PipelineBucket>();
            var won = new PipelineBucket("Won", 0, 0, 0);
            var lost = new PipelineBucket("Lost", 0, 0, 0);
            while (await reader.ReadAsync(ct))
            {
                var bucket = new PipelineBucket(reader.GetString(1), (int)reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4));
                switch (reader.GetInt32(0))
                {
                    case 0: byStage.Add(bucket); break;
                    case 1: byMonth.Add(bucket); break;
                    default: if (bucket.Key == "Won") won = bucket; else lost = bucket; break;
                }
            }
            return new PipelineFigures(byStage, byMonth, won, lost);
        }, ct);
}
