using RevOps.Domain.Metadata;
using RevOps.Domain.Pipeline;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Pipeline;

/// <summary>
/// The pipeline sums in one statement (one snapshot), on either engine: open opportunities grouped by
/// stage and by close month, closed ones in the period grouped by won/lost. Sums of no amounts are 0.
/// Two fixed texts, with and without the account filter, so each keeps its own plan on
/// (tenant_id, AccountId) or (tenant_id, …).
/// </summary>
internal sealed class PipelineStore(SqlDatabase db) : IPipelineStore
{
    const string AccountFilter = " AND AccountId = @account";

    readonly string _allSql = Statement(db.Dialect, "");
    readonly string _accountSql = Statement(db.Dialect, AccountFilter);

    static string Statement(SqlDialect d, string account) => $"""
        SELECT 0, StageName, count(*), coalesce(sum(Amount), 0), coalesce(sum(Amount * Probability / 100.0), 0)
        FROM opportunity WHERE tenant_id = @tenant AND {d.NotDeleted()} AND IsClosed = {d.False}{account}
        GROUP BY StageName
        UNION ALL
        SELECT 1, {d.Month("CloseDate")}, count(*), coalesce(sum(Amount), 0), coalesce(sum(Amount * Probability / 100.0), 0)
        FROM opportunity WHERE tenant_id = @tenant AND {d.NotDeleted()} AND IsClosed = {d.False}{account}
        GROUP BY {d.Month("CloseDate")}
        UNION ALL
        SELECT 2, CASE WHEN IsWon = {d.True} THEN 'Won' ELSE 'Lost' END, count(*), coalesce(sum(Amount), 0), coalesce(sum(Amount * Probability / 100.0), 0)
        FROM opportunity WHERE tenant_id = @tenant AND {d.NotDeleted()} AND IsClosed = {d.True}{account}
          AND CloseDate >= @from AND CloseDate <= @to
        GROUP BY IsWon = {d.True}
        """;

    public Task<PipelineFigures> SummarizeAsync(TenantId tenant, string? accountId, DateOnly from, DateOnly to, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command(accountId is null ? _allSql : _accountSql);
            d.AddTenant(command, tenant);
            if (accountId is not null) d.AddText(command, "@account", accountId);
            d.Add(command, "@from", from, StorageKind.Date);
            d.Add(command, "@to", to, StorageKind.Date);
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
