using RevOps.Domain.Metadata;
using RevOps.Domain.Pipeline;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Pipeline;

/// <summary>
/// The pipeline sums in one statement (one snapshot), on either engine: open opportunities grouped by
/// stage and by close month, closed ones in the period grouped by won/lost. Sums of no amounts are 0.
/// The unfiltered and the account-only texts are fixed, so each keeps its own plan on
/// (tenant_id, AccountId) or (tenant_id, …); other filters add their conditions, values as parameters.
/// </summary>
internal sealed class PipelineStore(SqlDatabase db) : IPipelineStore
{
    readonly string _allSql = Statement(db.Dialect, "");
    readonly string _accountSql = Statement(db.Dialect, " AND AccountId = @account");

    static string Statement(SqlDialect d, string filter) => $"""
        SELECT 0, StageName, count(*), coalesce(sum(Amount), 0), coalesce(sum(Amount * Probability / 100.0), 0)
        FROM opportunity WHERE tenant_id = @tenant AND {d.NotDeleted()} AND IsClosed = {d.False}{filter}
        GROUP BY StageName
        UNION ALL
        SELECT 1, {d.Month("CloseDate")}, count(*), coalesce(sum(Amount), 0), coalesce(sum(Amount * Probability / 100.0), 0)
        FROM opportunity WHERE tenant_id = @tenant AND {d.NotDeleted()} AND IsClosed = {d.False}{filter}
        GROUP BY {d.Month("CloseDate")}
        UNION ALL
        SELECT 2, CASE WHEN IsWon = {d.True} THEN 'Won' ELSE 'Lost' END, count(*), coalesce(sum(Amount), 0), coalesce(sum(Amount * Probability / 100.0), 0)
        FROM opportunity WHERE tenant_id = @tenant AND {d.NotDeleted()} AND IsClosed = {d.True}{filter}
          AND CloseDate >= @from AND CloseDate <= @to
        GROUP BY IsWon = {d.True}
        """;

    /// <summary>The filter's conditions, each on a parameter of the same name.</summary>
    static string Conditions(PipelineFilter f)
    {
        var sql = new System.Text.StringBuilder();
        if (f.AccountId is not null) sql.Append(" AND AccountId = @account");
        if (f.OwnerId is not null) sql.Append(" AND OwnerId = @owner");
        if (f.CloseFrom is not null) sql.Append(" AND CloseDate >= @closeFrom");
        if (f.CloseTo is not null) sql.Append(" AND CloseDate <= @closeTo");
        if (f.Stages is { Count: > 0 } stages) sql.Append($" AND StageName IN ({string.Join(", ", stages.Select((_, i) => $"@stage{i}"))})");
        return sql.ToString();
    }

    static bool AccountOnly(PipelineFilter f) => f.OwnerId is null && f.CloseFrom is null && f.CloseTo is null && f.Stages is not { Count: > 0 };

    public Task<PipelineFigures> SummarizeAsync(TenantId tenant, PipelineFilter filter, DateOnly from, DateOnly to, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var d = session.Dialect;
            string sql = !AccountOnly(filter) ? Statement(d, Conditions(filter)) : filter.AccountId is null ? _allSql : _accountSql;
            var command = session.Command(sql);
            d.AddTenant(command, tenant);
            if (filter.AccountId is not null) d.AddText(command, "@account", filter.AccountId);
            if (filter.OwnerId is not null) d.AddText(command, "@owner", filter.OwnerId);
            if (filter.CloseFrom is { } closeFrom) d.Add(command, "@closeFrom", closeFrom, StorageKind.Date);
            if (filter.CloseTo is { } closeTo) d.Add(command, "@closeTo", closeTo, StorageKind.Date);
            if (filter.Stages is { Count: > 0 } stages)
                for (int i = 0; i < stages.Count; i++) d.AddText(command, $"@stage{i}", stages[i]);
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
