using System.Globalization;
using RevOps.Domain.Pipeline;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sqlite;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// The pipeline sums in one statement (one snapshot): open opportunities grouped by stage and by
/// close month, closed ones in the period grouped by won/lost. Two fixed texts, with and without
/// the account filter, so each keeps its own plan on (tenant_id, AccountId) or (tenant_id, …).
/// </summary>
public sealed class SqlitePipelineStore(SqliteDatabase db) : IPipelineStore
{
    const string AccountFilter = " AND AccountId = $account";

    const string Template = """
        SELECT 0, StageName, count(*), total(Amount), total(Amount * Probability / 100.0)
        FROM opportunity WHERE tenant_id = $tenant AND IsDeleted = 0 AND IsClosed = 0{account}
        GROUP BY StageName
        UNION ALL
        SELECT 1, substr(CloseDate, 1, 7), count(*), total(Amount), total(Amount * Probability / 100.0)
        FROM opportunity WHERE tenant_id = $tenant AND IsDeleted = 0 AND IsClosed = 0{account}
        GROUP BY substr(CloseDate, 1, 7)
        UNION ALL
        SELECT 2, CASE WHEN IsWon = 1 THEN 'Won' ELSE 'Lost' END, count(*), total(Amount), total(Amount * Probability / 100.0)
        FROM opportunity WHERE tenant_id = $tenant AND IsDeleted = 0 AND IsClosed = 1{account}
          AND CloseDate >= $from AND CloseDate <= $to
        GROUP BY IsWon = 1
        """;

    static readonly string AllSql = Template.Replace("{account}", "");
    static readonly string AccountSql = Template.Replace("{account}", AccountFilter);

    public Task<PipelineFigures> SummarizeAsync(TenantId tenant, string? accountId, DateOnly from, DateOnly to, CancellationToken ct) =>
        Task.FromResult(db.Read(session =>
        {
            var command = session.Command(accountId is null ? AllSql : AccountSql);
            command.Parameters.AddWithValue("$tenant", tenant.ToString());
            if (accountId is not null) command.Parameters.AddWithValue("$account", accountId);
            command.Parameters.AddWithValue("$from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            using var reader = command.ExecuteReader();
            var byStage = new List<PipelineBucket>();
            var byMonth = new List<PipelineBucket>();
            var won = new PipelineBucket("Won", 0, 0, 0);
            var lost = new PipelineBucket("Lost", 0, 0, 0);
            while (reader.Read())
            {
                var bucket = new PipelineBucket(reader.GetString(1), reader.GetInt32(2), reader.GetDouble(3), reader.GetDouble(4));
                switch (reader.GetInt32(0))
                {
                    case 0: byStage.Add(bucket); break;
                    case 1: byMonth.Add(bucket); break;
                    default: if (bucket.Key == "Won") won = bucket; else lost = bucket; break;
                }
            }
            return new PipelineFigures(byStage, byMonth, won, lost);
        }));
}
