using System.Data.Common;
using RevOps.Domain.Imports;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Imports;

/// <summary>The import_jobs and import_job_rows tables (migration 0019), on either engine.</summary>
internal sealed class ImportJobStore(SqlDatabase db) : IImportJobStore
{
    const string Columns = "id, object, source, fingerprint, options, state, committed_row, created, updated, skipped, failed, started_at, finished_at";

    const string Insert = """
        INSERT INTO import_jobs (tenant_id, id, object, source, fingerprint, options, state, committed_row, created, updated, skipped, failed, started_at, updated_at)
        VALUES (@tenant, @id, @object, @source, @fingerprint, @options, 'running', @committed, @created, @updated, @skipped, @failed, @at, @at)
        """;

    const string Finish = """
        UPDATE import_jobs SET state = 'finished', finished_at = @at, updated_at = @at
        WHERE tenant_id = @tenant AND id = @id AND state = 'running' AND committed_row = @row
        """;

    public Task<ImportJob?> FindLatestAsync(TenantId tenant, string fingerprint, string options, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command($"SELECT {Columns} FROM import_jobs WHERE tenant_id = @tenant AND fingerprint = @fingerprint AND options = @options ORDER BY started_at DESC, id DESC LIMIT 1");
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@fingerprint", fingerprint);
            session.Dialect.AddText(command, "@options", options);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? Read(session.Dialect, reader) : null;
        }, ct);

    public Task<ImportJob?> GetAsync(TenantId tenant, string id, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command($"SELECT {Columns} FROM import_jobs WHERE tenant_id = @tenant AND id = @id");
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@id", id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? Read(session.Dialect, reader) : null;
        }, ct);

    public Task StartAsync(TenantId tenant, ImportJob job, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command(Insert);
            d.AddTenant(command, tenant);
            d.AddText(command, "@id", job.Id);
            d.AddText(command, "@object", job.Object);
            d.AddText(command, "@source", job.Source);
            d.AddText(command, "@fingerprint", job.Fingerprint);
            d.AddText(command, "@options", job.Options);
            d.AddLong(command, "@committed", job.CommittedRow);
            d.AddLong(command, "@created", job.Counts.Created);
            d.AddLong(command, "@updated", job.Counts.Updated);
            d.AddLong(command, "@skipped", job.Counts.Skipped);
            d.AddLong(command, "@failed", job.Counts.Failed);
            d.AddTime(command, "@at", job.StartedAt);
            return await command.ExecuteNonQueryAsync(ct);
        }, ct);

    public Task<bool> FinishAsync(TenantId tenant, string id, long lastRow, DateTime at, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var command = session.Command(Finish);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@id", id);
            session.Dialect.AddLong(command, "@row", lastRow);
            session.Dialect.AddTime(command, "@at", at);
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }, ct);

    public Task<IReadOnlyList<ImportRowResult>> NotWrittenAsync(TenantId tenant, string id, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<ImportRowResult>>(tenant, async session =>
        {
            var command = session.Command("SELECT row_number, status, column_name, value, reason FROM import_job_rows WHERE tenant_id = @tenant AND job_id = @id ORDER BY row_number");
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@id", id);
            var rows = new List<ImportRowResult>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                rows.Add(new ImportRowResult(new ImportRow(reader.GetInt64(0), []), reader.GetString(1) == "skipped" ? ImportRowStatus.Skipped : ImportRowStatus.Failed,
                    null, session.Dialect.ReadNullableText(reader, 2), session.Dialect.ReadNullableText(reader, 3), reader.GetString(4)));
            return rows;
        }, ct);

    static ImportJob Read(SqlDialect d, DbDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetString(5) == "finished" ? ImportJobState.Finished : ImportJobState.Running, reader.GetInt64(6),
            new ImportCounts(reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10)),
            d.ReadTime(reader, 11), d.ReadNullableTime(reader, 12));
}
