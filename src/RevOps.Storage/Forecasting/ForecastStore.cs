using System.Data.Common;
using System.Text.Json;
using RevOps.Domain.Forecasting;
using RevOps.Domain.Metadata;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Forecasting;

/// <summary>
/// The opportunities a forecast reads with their stage steps (StageName changes in the change log) and activity times
/// (Tasks and Events on them), in one snapshot; and forecast_models of migration 0029. Written once for both engines.
/// </summary>
internal sealed class ForecastStore(SqlDatabase db) : IForecastStore
{
    const string Window = " AND (@from IS NULL OR o.CloseDate >= @from) AND (@to IS NULL OR o.CloseDate <= @to)";

    readonly string _deals = $"""
        SELECT o.Id, o.Name, o.OwnerId, o.Amount, o.StageName, o.Probability, o.IsClosed, o.IsWon, o.CloseDate, o.CreatedDate
        FROM opportunity o WHERE o.tenant_id = @tenant AND {db.Dialect.NotDeleted("o")}{Window}
        """;

    // Only rows that touched StageName; the LIKE is a cheap pre-filter, the JSON is read to be sure.
    readonly string _steps = $"""
        SELECT c.record_id, c.created_at, c.changes FROM change_log c
        JOIN opportunity o ON o.tenant_id = c.tenant_id AND o.Id = c.record_id AND {db.Dialect.NotDeleted("o")}{Window}
        WHERE c.tenant_id = @tenant AND c.object = 'Opportunity' AND c.changes LIKE '%"StageName"%'
        ORDER BY c.seq
        """;

    readonly string _activities = string.Join(" UNION ALL ", new[] { "task", "event" }.Select(table => $"""
        SELECT a.WhatId, a.CreatedDate FROM {table} a
        JOIN opportunity o ON o.tenant_id = a.tenant_id AND o.Id = a.WhatId AND {db.Dialect.NotDeleted("o")}{Window}
        WHERE a.tenant_id = @tenant AND {db.Dialect.NotDeleted("a")}
        """));

    readonly string _owners = $"""
        SELECT OwnerId, sum(CASE WHEN IsWon = {db.Dialect.True} THEN 1 ELSE 0 END), count(*) FROM opportunity
        WHERE tenant_id = @tenant AND {db.Dialect.NotDeleted()} AND IsClosed = {db.Dialect.True} GROUP BY OwnerId
        """;

    readonly string _closed = $"SELECT count(*) FROM opportunity WHERE tenant_id = @tenant AND {db.Dialect.NotDeleted()} AND IsClosed = {db.Dialect.True}";

    const string SelectModel = """
        SELECT model, trained_at, closed_deals, holdout, model_brier, baseline_brier, features, feature_means FROM forecast_models WHERE tenant_id = @tenant
        """;

    const string UpsertModel = """
        INSERT INTO forecast_models (tenant_id, model, trained_at, closed_deals, holdout, model_brier, baseline_brier, features, feature_means)
        VALUES (@tenant, @model, @at, @closed, @holdout, @model_brier, @baseline_brier, @features, @means)
        ON CONFLICT (tenant_id) DO UPDATE SET model = excluded.model, trained_at = excluded.trained_at, closed_deals = excluded.closed_deals,
            holdout = excluded.holdout, model_brier = excluded.model_brier, baseline_brier = excluded.baseline_brier,
            features = excluded.features, feature_means = excluded.feature_means
        """;

    public Task<IReadOnlyList<DealHistory>> LoadAsync(TenantId tenant, DateOnly? from, DateOnly? to, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<DealHistory>>(tenant, async session =>
        {
            var d = session.Dialect;
            var steps = new Dictionary<string, List<StageStep>>(StringComparer.Ordinal);
            await using (var reader = await Command(session, _steps, tenant, from, to).ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                {
                    using var changes = JsonDocument.Parse(reader.GetString(2));
                    if (!changes.RootElement.TryGetProperty("StageName", out var stage)) continue;
                    string? before = stage.TryGetProperty("before", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
                    if (!stage.TryGetProperty("after", out var a) || a.ValueKind != JsonValueKind.String) continue;
                    var id = reader.GetString(0);
                    if (!steps.TryGetValue(id, out var list)) steps[id] = list = [];
                    list.Add(new StageStep(d.ReadTime(reader, 1), before, a.GetString()!));
                }

            var activities = new Dictionary<string, List<DateTime>>(StringComparer.Ordinal);
            await using (var reader = await Command(session, _activities, tenant, from, to).ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                {
                    var id = reader.GetString(0);
                    if (!activities.TryGetValue(id, out var list)) activities[id] = list = [];
                    list.Add(d.ReadTime(reader, 1));
                }

            var deals = new List<DealHistory>();
            await using (var reader = await Command(session, _deals, tenant, from, to).ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                {
                    var id = reader.GetString(0);
                    deals.Add(new DealHistory(id, d.ReadNullableText(reader, 1), d.ReadNullableText(reader, 2),
                        reader.IsDBNull(3) ? 0 : reader.GetDouble(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetDouble(5),
                        (bool)d.Read(reader, 6, StorageKind.Boolean)!, (bool)d.Read(reader, 7, StorageKind.Boolean)!,
                        (DateOnly)d.Read(reader, 8, StorageKind.Date)!, d.ReadTime(reader, 9),
                        steps.GetValueOrDefault(id) ?? [], activities.GetValueOrDefault(id) ?? []));
                }
            return deals;
        }, ct, snapshot: true);

    static DbCommand Command(SqlSession session, string sql, TenantId tenant, DateOnly? from, DateOnly? to)
    {
        var command = session.Command(sql);
        session.Dialect.AddTenant(command, tenant);
        session.Dialect.Add(command, "@from", from, StorageKind.Date);
        session.Dialect.Add(command, "@to", to, StorageKind.Date);
        return command;
    }

    public Task<IReadOnlyDictionary<string, OwnerRecord>> OwnerRecordsAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyDictionary<string, OwnerRecord>>(tenant, async session =>
        {
            var command = session.Command(_owners);
            session.Dialect.AddTenant(command, tenant);
            var records = new Dictionary<string, OwnerRecord>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                records[reader.IsDBNull(0) ? "" : reader.GetString(0)] = new OwnerRecord((int)reader.GetInt64(1), (int)reader.GetInt64(2));
            return records;
        }, ct);

    public Task<int> ClosedCountAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(_closed);
            session.Dialect.AddTenant(command, tenant);
            return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }, ct);

    public Task<StoredWinModel?> GetModelAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(SelectModel);
            var d = session.Dialect;
            d.AddTenant(command, tenant);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            return new StoredWinModel((byte[])reader.GetValue(0), d.ReadTime(reader, 1), reader.GetInt32(2), reader.GetInt32(3),
                reader.GetDouble(4), reader.GetDouble(5),
                JsonSerializer.Deserialize<string[]>(reader.GetString(6)) ?? [], JsonSerializer.Deserialize<double[]>(reader.GetString(7)) ?? []);
        }, ct);

    public Task SaveModelAsync(TenantId tenant, StoredWinModel model, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var command = session.Command(UpsertModel);
            var d = session.Dialect;
            d.AddTenant(command, tenant);
            var blob = command.CreateParameter();
            blob.ParameterName = "@model";
            blob.Value = model.Model;
            command.Parameters.Add(blob);
            d.AddTime(command, "@at", model.TrainedAt);
            d.AddLong(command, "@closed", model.ClosedDeals);
            d.AddLong(command, "@holdout", model.Holdout);
            d.Add(command, "@model_brier", model.ModelBrier, StorageKind.Real);
            d.Add(command, "@baseline_brier", model.BaselineBrier, StorageKind.Real);
            d.AddText(command, "@features", JsonSerializer.Serialize(model.Features));
            d.AddText(command, "@means", JsonSerializer.Serialize(model.FeatureMeans));
            await command.ExecuteNonQueryAsync(ct);
            return 0;
        }, ct);
}
