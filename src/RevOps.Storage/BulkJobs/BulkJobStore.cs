using System.Data.Common;
using RevOps.Domain.BulkJobs;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.BulkJobs;

/// <summary>
/// Bulk API 2.0 jobs and their parts (migration 0018), written once for both engines. Every statement runs in the tenant's
/// transaction except the claim, which looks across tenants for runnable jobs (SKIP LOCKED on PostgreSQL, so nodes claiming at
/// the same time take different jobs; SQLite's one writer serialises claims).
/// </summary>
internal sealed class BulkJobStore(SqlDatabase db) : IBulkJobStore
{
    const string Columns = """
        id, kind, object, operation, external_id_field, column_delimiter, line_ending, query, state, error_message, actor_id, actor_name,
        key_id, scopes, api_version, headers, upload_bytes, chunks, rows_total, chunks_done, processed, failed, retries, created_at, updated_at,
        started_at, finished_at
        """;

    const string Insert = """
        INSERT INTO bulk_jobs (tenant_id, id, kind, object, operation, external_id_field, column_delimiter, line_ending, query, state, actor_id,
            actor_name, key_id, scopes, api_version, created_at, updated_at)
        VALUES (@tenant, @id, @kind, @object, @operation, @external, @delimiter, @ending, @query, @state, @actor, @actor_name, @key, @scopes,
            @version, @now, @now)
        """;

    const string InsertPart = "INSERT INTO bulk_job_parts (tenant_id, job_id, part, seq, rows, body) VALUES (@tenant, @id, @part, @seq, @rows, @body)";

    const string AddData = """
        UPDATE bulk_jobs SET chunks = @next, rows_total = rows_total + @rows, upload_bytes = upload_bytes + @bytes,
            headers = COALESCE(headers, @headers), updated_at = @now
        WHERE tenant_id = @tenant AND id = @id AND state = 'Open' AND chunks = @first
        """;

    readonly string _claim = $"""
        SELECT j.tenant_id, j.id, j.state FROM bulk_jobs j
        WHERE (j.state = 'UploadComplete' OR (j.state = 'InProgress' AND j.lease_until < @now))
        ORDER BY j.created_at {db.Dialect.Limit}{db.Dialect.ForUpdateSkipLocked("j")}
        """;

    const string Take = """
        UPDATE bulk_jobs SET state = 'InProgress', lease_until = @lease, started_at = COALESCE(started_at, @now), updated_at = @now,
            retries = retries + CASE WHEN state = 'InProgress' THEN 1 ELSE 0 END
        WHERE tenant_id = @tenant AND id = @id
        """;

    // Results of a part are kept even when the job was aborted while the part was being written: those rows were written.
    const string Advance = """
        UPDATE bulk_jobs SET chunks_done = @seq + 1, processed = processed + @processed, failed = failed + @failed, lease_until = @lease, updated_at = @now
        WHERE tenant_id = @tenant AND id = @id AND chunks_done = @seq AND state IN ('InProgress', 'Aborted')
        """;

    public Task CreateAsync(TenantId tenant, BulkJob job, CancellationToken ct) =>
        db.WriteAsync(tenant, session =>
        {
            var d = session.Dialect;
            var command = session.Command(Insert);
            d.AddTenant(command, tenant);
            d.AddText(command, "@id", job.Id);
            d.AddText(command, "@kind", job.Kind == BulkJobKind.Ingest ? "ingest" : "query");
            d.AddText(command, "@object", job.Object);
            d.AddText(command, "@operation", job.Operation);
            d.AddText(command, "@external", job.ExternalIdField);
            d.AddText(command, "@delimiter", job.ColumnDelimiter);
            d.AddText(command, "@ending", job.LineEnding);
            d.AddText(command, "@query", job.Query);
            d.AddText(command, "@state", job.State);
            d.AddText(command, "@actor", job.ActorId);
            d.AddText(command, "@actor_name", job.ActorName);
            d.AddText(command, "@key", job.KeyId);
            d.AddLong(command, "@scopes", (long)job.Scopes);
            d.AddText(command, "@version", job.ApiVersion);
            d.AddTime(command, "@now", job.CreatedAt);
            return command.ExecuteNonQueryAsync(ct);
        }, ct);

    public Task<BulkJob?> GetAsync(TenantId tenant, string id, CancellationToken ct) =>
        db.ReadAsync(tenant, session => ReadOneAsync(session, tenant, id, ct), ct);

    static async Task<BulkJob?> ReadOneAsync(SqlSession session, TenantId tenant, string id, CancellationToken ct)
    {
        var command = session.Command($"SELECT {Columns} FROM bulk_jobs WHERE tenant_id = @tenant AND id = @id");
        session.Dialect.AddTenant(command, tenant);
        session.Dialect.AddText(command, "@id", id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? Read(session.Dialect, reader) : null;
    }

    public Task<IReadOnlyList<BulkJob>> ListAsync(TenantId tenant, BulkJobKind kind, int limit, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<BulkJob>>(tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command($"SELECT {Columns} FROM bulk_jobs WHERE tenant_id = @tenant AND kind = @kind ORDER BY created_at DESC, id {d.Limit}");
            d.AddTenant(command, tenant);
            d.AddText(command, "@kind", kind == BulkJobKind.Ingest ? "ingest" : "query");
            d.AddLong(command, "@limit", limit);
            var jobs = new List<BulkJob>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) jobs.Add(Read(d, reader));
            return jobs;
        }, ct);

    public async Task<bool> AppendDataAsync(TenantId tenant, string id, int firstSeq, IReadOnlyList<BulkPart> parts, IReadOnlyList<string> headers, long bytes, DateTime now, CancellationToken ct)
    {
        try
        {
            return await db.WriteAsync(tenant, async session =>
            {
                var d = session.Dialect;
                var update = session.Command(AddData);
                d.AddTenant(update, tenant);
                d.AddText(update, "@id", id);
                d.AddLong(update, "@first", firstSeq);
                d.AddLong(update, "@next", firstSeq + parts.Count);
                d.AddLong(update, "@rows", parts.Sum(p => (long)p.Rows));
                d.AddLong(update, "@bytes", bytes);
                d.AddText(update, "@headers", BulkDataPart.EncodeStrings(headers));
                d.AddTime(update, "@now", now);
                if (await update.ExecuteNonQueryAsync(ct) != 1) throw new NotOpen();
                foreach (var part in parts) await InsertPartAsync(session, tenant, id, BulkPartKind.Data, part, ct);
                return true;
            }, ct);
        }
        catch (NotOpen)
        {
            return false;
        }
    }

    sealed class NotOpen : Exception;

    static Task<int> InsertPartAsync(SqlSession session, TenantId tenant, string id, string kind, BulkPart part, CancellationToken ct)
    {
        var d = session.Dialect;
        var command = session.Command(InsertPart);
        d.AddTenant(command, tenant);
        d.AddText(command, "@id", id);
        d.AddText(command, "@part", kind);
        d.AddLong(command, "@seq", part.Seq);
        d.AddLong(command, "@rows", part.Rows);
        d.AddText(command, "@body", part.Body);
        return command.ExecuteNonQueryAsync(ct);
    }

    public Task RemoveDataAsync(TenantId tenant, string id, int fromSeq, long rows, long bytes, DateTime now, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var delete = session.Command("DELETE FROM bulk_job_parts WHERE tenant_id = @tenant AND job_id = @id AND part = 'data' AND seq >= @from");
            d.AddTenant(delete, tenant);
            d.AddText(delete, "@id", id);
            d.AddLong(delete, "@from", fromSeq);
            await delete.ExecuteNonQueryAsync(ct);
            var update = session.Command("""
                UPDATE bulk_jobs SET chunks = @from, rows_total = rows_total - @rows, upload_bytes = upload_bytes - @bytes, updated_at = @now,
                    headers = CASE WHEN @from = 0 THEN NULL ELSE headers END
                WHERE tenant_id = @tenant AND id = @id AND chunks >= @from
                """);
            d.AddTenant(update, tenant);
            d.AddText(update, "@id", id);
            d.AddLong(update, "@from", fromSeq);
            d.AddLong(update, "@rows", rows);
            d.AddLong(update, "@bytes", bytes);
            d.AddTime(update, "@now", now);
            return await update.ExecuteNonQueryAsync(ct);
        }, ct);

    public Task<BulkJob?> SetStateAsync(TenantId tenant, string id, IReadOnlyCollection<string> from, string to, string? error, DateTime now, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var names = from.Select((_, i) => "@from" + i).ToArray();
            var command = session.Command($"""
                UPDATE bulk_jobs SET state = @to, error_message = COALESCE(@error, error_message), updated_at = @now,
                    finished_at = CASE WHEN @final = 1 THEN @now ELSE finished_at END, lease_until = CASE WHEN @final = 1 THEN NULL ELSE lease_until END
                WHERE tenant_id = @tenant AND id = @id AND state IN ({string.Join(", ", names)})
                """);
            d.AddTenant(command, tenant);
            d.AddText(command, "@id", id);
            d.AddText(command, "@to", to);
            d.AddText(command, "@error", error);
            d.AddLong(command, "@final", BulkJobState.IsFinal(to) ? 1 : 0);
            d.AddTime(command, "@now", now);
            int i = 0;
            foreach (var state in from) d.AddText(command, names[i++], state);
            if (await command.ExecuteNonQueryAsync(ct) != 1) return null;
            return await ReadOneAsync(session, tenant, id, ct);
        }, ct);

    public Task<bool> DeleteAsync(TenantId tenant, string id, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var parts = session.Command("DELETE FROM bulk_job_parts WHERE tenant_id = @tenant AND job_id = @id");
            d.AddTenant(parts, tenant);
            d.AddText(parts, "@id", id);
            await parts.ExecuteNonQueryAsync(ct);
            var job = session.Command("DELETE FROM bulk_jobs WHERE tenant_id = @tenant AND id = @id");
            d.AddTenant(job, tenant);
            d.AddText(job, "@id", id);
            return await job.ExecuteNonQueryAsync(ct) == 1;
        }, ct);

    public async Task<BulkClaim?> ClaimAsync(DateTime now, DateTime leaseUntil, CancellationToken ct)
    {
        var taken = await db.WriteAcrossTenantsAsync(async session =>
        {
            var d = session.Dialect;
            var find = session.Command(_claim);
            d.AddTime(find, "@now", now);
            d.AddLong(find, "@limit", 1);
            TenantId tenant;
            string id, state;
            await using (var reader = await find.ExecuteReaderAsync(ct))
            {
                if (!await reader.ReadAsync(ct)) return ((TenantId, string, bool)?)null;
                tenant = d.ReadTenant(reader, 0);
                id = reader.GetString(1);
                state = reader.GetString(2);
            }
            var take = session.Command(Take);
            d.AddTenant(take, tenant);
            d.AddText(take, "@id", id);
            d.AddTime(take, "@lease", leaseUntil);
            d.AddTime(take, "@now", now);
            await take.ExecuteNonQueryAsync(ct);
            return (tenant, id, state == BulkJobState.InProgress);
        }, ct);
        if (taken is not var (t, jobId, resumed)) return null;
        var job = await GetAsync(t, jobId, ct);
        return job is null ? null : new BulkClaim(t, job, resumed);
    }

    public Task<IReadOnlyList<BulkPart>> PartsAsync(TenantId tenant, string id, string kind, int from, int to, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<BulkPart>>(tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command("SELECT seq, rows, body FROM bulk_job_parts WHERE tenant_id = @tenant AND job_id = @id AND part = @part AND seq >= @from AND seq < @to ORDER BY seq");
            d.AddTenant(command, tenant);
            d.AddText(command, "@id", id);
            d.AddText(command, "@part", kind);
            d.AddLong(command, "@from", from);
            d.AddLong(command, "@to", to);
            var parts = new List<BulkPart>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) parts.Add(new BulkPart((int)reader.GetInt64(0), (int)reader.GetInt64(1), reader.GetString(2)));
            return parts;
        }, ct);

    public Task<bool> CompletePartAsync(TenantId tenant, string id, int seq, BulkPart? ok, BulkPart? fail, long processed, long failed, DateTime now, DateTime leaseUntil, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var advance = session.Command(Advance);
            d.AddTenant(advance, tenant);
            d.AddText(advance, "@id", id);
            d.AddLong(advance, "@seq", seq);
            d.AddLong(advance, "@processed", processed);
            d.AddLong(advance, "@failed", failed);
            d.AddTime(advance, "@lease", leaseUntil);
            d.AddTime(advance, "@now", now);
            if (await advance.ExecuteNonQueryAsync(ct) != 1) return false;
            if (ok is not null) await InsertPartAsync(session, tenant, id, BulkPartKind.Ok, ok, ct);
            if (fail is not null) await InsertPartAsync(session, tenant, id, BulkPartKind.Fail, fail, ct);
            var state = session.Command("SELECT state FROM bulk_jobs WHERE tenant_id = @tenant AND id = @id");
            d.AddTenant(state, tenant);
            d.AddText(state, "@id", id);
            return (await state.ExecuteScalarAsync(ct) as string) == BulkJobState.InProgress;
        }, ct);

    public Task<bool> AppendResultsAsync(TenantId tenant, string id, IReadOnlyList<BulkPart> parts, long rows, DateTime now, DateTime leaseUntil, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var update = session.Command("""
                UPDATE bulk_jobs SET rows_total = @rows, processed = @rows, chunks = @chunks, lease_until = @lease, updated_at = @now
                WHERE tenant_id = @tenant AND id = @id AND state = 'InProgress'
                """);
            d.AddTenant(update, tenant);
            d.AddText(update, "@id", id);
            d.AddLong(update, "@rows", rows);
            d.AddLong(update, "@chunks", parts.Count(p => p.Seq >= 0));
            d.AddTime(update, "@lease", leaseUntil);
            d.AddTime(update, "@now", now);
            if (await update.ExecuteNonQueryAsync(ct) != 1) return false;
            // A resumed query starts over: what an earlier run stored goes first.
            var clear = session.Command("DELETE FROM bulk_job_parts WHERE tenant_id = @tenant AND job_id = @id AND part = 'result'");
            d.AddTenant(clear, tenant);
            d.AddText(clear, "@id", id);
            await clear.ExecuteNonQueryAsync(ct);
            foreach (var part in parts) await InsertPartAsync(session, tenant, id, BulkPartKind.Result, part, ct);
            return true;
        }, ct);

    public Task<IReadOnlyList<(string RecordId, string Operation)>> ChangesOfRequestAsync(TenantId tenant, string requestId, DateTime since, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyList<(string, string)>>(tenant, async session =>
        {
            var d = session.Dialect;
            var command = session.Command("SELECT record_id, operation FROM change_log WHERE tenant_id = @tenant AND created_at >= @since AND request_id = @request ORDER BY seq");
            d.AddTenant(command, tenant);
            d.AddTime(command, "@since", since);
            d.AddText(command, "@request", requestId);
            var found = new List<(string, string)>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) found.Add((reader.GetString(0), reader.GetString(1)));
            return found;
        }, ct);

    static BulkJob Read(SqlDialect d, DbDataReader r) => new(
        r.GetString(0), r.GetString(1) == "ingest" ? BulkJobKind.Ingest : BulkJobKind.Query, r.GetString(2), r.GetString(3), d.ReadNullableText(r, 4),
        r.GetString(5), r.GetString(6), d.ReadNullableText(r, 7), r.GetString(8), d.ReadNullableText(r, 9), r.GetString(10), d.ReadNullableText(r, 11),
        d.ReadNullableText(r, 12), (Scopes)r.GetInt64(13), r.GetString(14), d.ReadNullableText(r, 15) is { } headers ? BulkDataPart.DecodeStrings(headers) : null,
        r.GetInt64(16), (int)r.GetInt64(17), r.GetInt64(18), (int)r.GetInt64(19), r.GetInt64(20), r.GetInt64(21), (int)r.GetInt64(22),
        d.ReadTime(r, 23), d.ReadTime(r, 24), d.ReadNullableTime(r, 25), d.ReadNullableTime(r, 26));
}
