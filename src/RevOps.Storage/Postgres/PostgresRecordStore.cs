using Npgsql;
using NpgsqlTypes;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;
using RevOps.Storage.ChangeLog;

namespace RevOps.Storage.Postgres;

/// <summary>
/// Records on PostgreSQL. A commit first advances the tenant's change counter, which locks the
/// tenant row until COMMIT: one tenant's writes then commit one at a time (other tenants' run in
/// parallel), so its sequence is gap-free and the unique-value checks cannot race.
/// </summary>
internal sealed class PostgresRecordStore(PostgresDatabase db) : IRecordStore
{
    const string NextSequences = "UPDATE tenants SET change_seq = change_seq + @count WHERE id = @tenant RETURNING change_seq";

    public Task<Record?> GetAsync(TenantId tenant, ObjectMetadata obj, string id, CancellationToken ct) =>
        db.InTenantAsync(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand(PostgresRecordSql.For(obj).SelectById, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            PostgresValues.Add(command.Parameters, "id", id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadRecord(obj, reader) : null;
        }, ct);

    public Task<bool> ExistsAsync(TenantId tenant, ObjectMetadata obj, string id, CancellationToken ct) =>
        db.InTenantAsync(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand(PostgresRecordSql.For(obj).Exists, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            PostgresValues.Add(command.Parameters, "id", id);
            return await command.ExecuteScalarAsync(ct) is not null;
        }, ct);

    public Task<IReadOnlyList<Record>> QueryAsync(TenantId tenant, ObjectMetadata obj, RecordQuery query, CancellationToken ct)
    {
        var where = new PostgresRecordQuerySql(obj, query);
        string text = $"SELECT {PostgresRecordSql.For(obj).SelectColumns} {where.From} {where.OrderBy} LIMIT @limit OFFSET @offset";
        return db.InTenantAsync<IReadOnlyList<Record>>(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand(text, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            where.Bind(command);
            PostgresValues.Add(command.Parameters, "limit", (long)query.Limit);
            PostgresValues.Add(command.Parameters, "offset", (long)query.Offset);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var records = new List<Record>();
            while (await reader.ReadAsync(ct)) records.Add(ReadRecord(obj, reader));
            return records;
        }, ct);
    }

    public Task<long> CountAsync(TenantId tenant, ObjectMetadata obj, RecordQuery query, CancellationToken ct)
    {
        var where = new PostgresRecordQuerySql(obj, query);
        string text = $"SELECT COUNT(*) {where.From}";
        return db.InTenantAsync(tenant, async connection =>
        {
            await using var command = new NpgsqlCommand(text, connection);
            PostgresValues.AddTenant(command.Parameters, tenant);
            where.Bind(command);
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }, ct);
    }

    public async Task<CommitResult> CommitAsync(TenantId tenant, IReadOnlyList<RecordWrite> writes, IdempotencyEntry? idempotency, CancellationToken ct)
    {
        var changesJson = new string[writes.Count];
        for (int i = 0; i < writes.Count; i++) changesJson[i] = ChangeJson.Serialize(writes[i].Change.Changes);
        long[] sequences;
        try
        {
            sequences = await db.InTenantAsync(tenant, async connection =>
            {
                long last;
                await using (var next = new NpgsqlCommand(NextSequences, connection))
                {
                    PostgresValues.AddTenant(next.Parameters, tenant);
                    PostgresValues.Add(next.Parameters, "count", (long)writes.Count);
                    last = await next.ExecuteScalarAsync(ct) is long seq ? seq : throw new InvalidOperationException($"Tenant {tenant} does not exist.");
                }
                var assigned = new long[writes.Count];
                for (int i = 0; i < writes.Count; i++)
                {
                    var write = writes[i];
                    assigned[i] = last - writes.Count + 1 + i;
                    foreach (var unique in write.UniqueFields) await CheckUniqueAsync(connection, tenant, write.Record, unique, ct);
                    var sql = PostgresRecordSql.For(write.Record.Object);
                    await using (var command = new NpgsqlCommand(write.ExpectedVersion is null ? sql.Insert : sql.Update, connection))
                    {
                        BindRecord(command, tenant, write.Record);
                        if (write.ExpectedVersion is { } version) PostgresValues.Add(command.Parameters, "version", version);
                        // Throwing rolls back the transaction: the writes before this one are undone too.
                        if (await command.ExecuteNonQueryAsync(ct) == 0) throw new FailedCommit(CommitFailure.VersionConflict);
                    }
                    await PostgresChangeLog.AppendAsync(connection, tenant, assigned[i], write.Change, changesJson[i], ct);
                }
                if (idempotency is not null && !await PostgresIdempotency.InsertAsync(connection, tenant, idempotency, assigned.Length > 0 ? assigned[0] : 0, ct))
                    throw new FailedCommit(CommitFailure.IdempotencyKeyTaken);
                return assigned;
            }, ct);
        }
        catch (FailedCommit failed)
        {
            return new CommitResult([], failed.Failure, failed.Field, failed.ExistingId);
        }
        if (sequences.Length > 0)
        {
            db.Changes.Pulse();
            db.TenantChanges.Raise(tenant, sequences[^1]);
        }
        return new CommitResult(sequences, null);
    }

    public Task<IdempotencyEntry?> FindIdempotencyAsync(TenantId tenant, string key, CancellationToken ct) =>
        db.InTenantAsync(tenant, connection => PostgresIdempotency.FindAsync(connection, tenant, key, ct), ct);

    public Task<int> PurgeAsync(TenantId tenant, DateTime deletedBefore, DateTime idempotencyBefore, CancellationToken ct) =>
        db.InTenantAsync(tenant, async connection =>
        {
            int purged = 0;
            foreach (var obj in StandardObjects.All)
            {
                await using var command = new NpgsqlCommand(PostgresRecordSql.For(obj).Purge, connection);
                PostgresValues.AddTenant(command.Parameters, tenant);
                PostgresValues.Add(command.Parameters, "cutoff", deletedBefore);
                purged += await command.ExecuteNonQueryAsync(ct);
            }
            await PostgresIdempotency.PurgeAsync(connection, tenant, idempotencyBefore, ct);
            return purged;
        }, ct);

    static void BindRecord(NpgsqlCommand command, TenantId tenant, Record record)
    {
        PostgresValues.AddTenant(command.Parameters, tenant);
        command.Parameters.Add(PostgresValues.CustomParameter("custom", record.Custom));
        PostgresValues.Add(command.Parameters, "deleted_at", record.DeletedAt);
        PostgresValues.Add(command.Parameters, "deleted_with", record.DeletedWith);
        var fields = record.Object.Fields;
        for (int i = 0; i < record.Values.Length; i++)
            PostgresValues.Add(command.Parameters, PostgresRecordSql.FieldParameter(i), record.Values[i], fields[i].Storage);
    }

    static Record ReadRecord(ObjectMetadata obj, NpgsqlDataReader reader)
    {
        var values = new object?[obj.Fields.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = PostgresValues.FromColumn(reader, PostgresRecordSql.FirstFieldOrdinal + i, obj.Fields[i].Storage);
        return new Record(obj, values, PostgresValues.CustomFromColumn(reader, 1), reader.GetInt64(0))
        {
            DeletedAt = PostgresValues.NullableTime(reader, 2),
            DeletedWith = PostgresValues.NullableText(reader, 3),
        };
    }

    static async Task CheckUniqueAsync(NpgsqlConnection connection, TenantId tenant, Record record, FieldMetadata field, CancellationToken ct)
    {
        if (!record.Custom.TryGetValue(field.Name, out var value)) return;
        await using var command = new NpgsqlCommand(
            $"SELECT Id FROM {record.Object.Table} WHERE tenant_id = @tenant AND {PostgresCustomColumn.Of(field)} = @value AND Id IS DISTINCT FROM @id AND NOT IsDeleted LIMIT 1",
            connection);
        PostgresValues.AddTenant(command.Parameters, tenant);
        PostgresValues.Add(command.Parameters, "value", PostgresCustomColumn.Value(field, value), PostgresCustomColumn.ParameterKind(field));
        PostgresValues.Add(command.Parameters, "id", record.Values[0] as string);
        if (await command.ExecuteScalarAsync(ct) is string existing) throw new FailedCommit(CommitFailure.DuplicateValue, field.Name, existing);
    }

    /// <summary>Unwinds the write's transaction; turned into a <see cref="CommitResult"/> failure above, never seen by callers.</summary>
    sealed class FailedCommit(CommitFailure failure, string? field = null, string? existingId = null) : Exception(failure.ToString())
    {
        public CommitFailure Failure { get; } = failure;
        public string? Field { get; } = field;
        public string? ExistingId { get; } = existingId;
    }
}
