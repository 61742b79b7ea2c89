using Microsoft.Data.Sqlite;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;
using RevOps.Storage.ChangeLog;

namespace RevOps.Storage.Sqlite;

public sealed class SqliteRecordStore(SqliteDatabase db) : IRecordStore
{
    public Task<Record?> GetAsync(TenantId tenant, ObjectMetadata obj, string id, CancellationToken ct)
    {
        var sql = RecordSql.For(obj);
        return Task.FromResult(db.Read(session =>
        {
            var command = session.Command(sql.SelectById);
            command.Parameters.AddWithValue("$tenant", tenant.ToString());
            command.Parameters.AddWithValue("$id", id);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadRecord(obj, reader) : null;
        }));
    }

    public Task<bool> ExistsAsync(TenantId tenant, ObjectMetadata obj, string id, CancellationToken ct)
    {
        var sql = RecordSql.For(obj);
        return Task.FromResult(db.Read(session =>
        {
            var command = session.Command(sql.Exists);
            command.Parameters.AddWithValue("$tenant", tenant.ToString());
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteScalar() is not null;
        }));
    }

    public Task<IReadOnlyList<Record>> QueryAsync(TenantId tenant, ObjectMetadata obj, RecordQuery query, CancellationToken ct)
    {
        var sql = RecordSql.For(obj);
        var where = new RecordQuerySql(obj, query);
        string text = $"SELECT {sql.SelectColumns} {where.From} {where.OrderBy} {SqlPaging.LimitOffset}";
        return Task.FromResult<IReadOnlyList<Record>>(db.Read(session =>
        {
            var command = Bind(session.Command(text), tenant, where);
            command.Parameters.AddWithValue("$limit", query.Limit);
            command.Parameters.AddWithValue("$offset", query.Offset);
            using var reader = command.ExecuteReader();
            var records = new List<Record>();
            while (reader.Read()) records.Add(ReadRecord(obj, reader));
            return records;
        }));
    }

    public Task<long> CountAsync(TenantId tenant, ObjectMetadata obj, RecordQuery query, CancellationToken ct)
    {
        var where = new RecordQuerySql(obj, query);
        string text = $"SELECT COUNT(*) {where.From}";
        return Task.FromResult(db.Read(session => (long)Bind(session.Command(text), tenant, where).ExecuteScalar()!));
    }

    static SqliteCommand Bind(SqliteCommand command, TenantId tenant, RecordQuerySql where)
    {
        command.Parameters.AddWithValue("$tenant", tenant.ToString());
        for (int i = 0; i < where.Values.Count; i++) command.Parameters.AddWithValue($"$p{i}", where.Values[i]);
        return command;
    }

    public async Task<CommitResult> CommitAsync(TenantId tenant, IReadOnlyList<RecordWrite> writes, IdempotencyEntry? idempotency, CancellationToken ct)
    {
        // Serialized here, in parallel with other requests, not in the single writer's turn.
        var changesJson = new string[writes.Count];
        for (int i = 0; i < writes.Count; i++) changesJson[i] = ChangeJson.Serialize(writes[i].Change.Changes);
        try
        {
            var sequences = await db.WriteAsync(session =>
            {
                var sequences = new long[writes.Count];
                for (int i = 0; i < writes.Count; i++)
                {
                    var write = writes[i];
                    var sql = RecordSql.For(write.Record.Object);
                    foreach (var unique in write.UniqueFields) CheckUnique(session, tenant, write.Record, unique);
                    var command = session.Command(write.ExpectedVersion is null ? sql.Insert : sql.Update);
                    BindRecord(command, tenant, write.Record);
                    if (write.ExpectedVersion is { } version) command.Parameters.AddWithValue("$version", version);
                    // Throwing rolls back this request's savepoint: the writes before it are undone too.
                    if (command.ExecuteNonQuery() == 0) throw new FailedCommit(CommitFailure.VersionConflict);
                    sequences[i] = SqliteChangeLog.Write(session, tenant, write.Change, changesJson[i]);
                }
                if (idempotency is not null) IdempotencySql.Insert(session, tenant, idempotency, sequences.Length > 0 ? sequences[0] : 0);
                return sequences;
            }, ct);
            // The write's task completes only after COMMIT, so followers woken here find the rows.
            if (sequences.Length > 0) db.TenantChanges.Raise(tenant, sequences.Max());
            return new CommitResult(sequences, null);
        }
        catch (FailedCommit failed)
        {
            return new CommitResult([], failed.Failure, failed.Field, failed.ExistingId);
        }
        catch (SqliteException e) when (idempotency is not null && e.SqliteErrorCode == 19 && IdempotencySql.IsKeyConflict(e))
        {
            return new CommitResult([], CommitFailure.IdempotencyKeyTaken);
        }
    }

    public Task<IdempotencyEntry?> FindIdempotencyAsync(TenantId tenant, string key, CancellationToken ct) =>
        Task.FromResult(db.Read(session => IdempotencySql.Find(session, tenant, key)));

    public Task<int> PurgeAsync(TenantId tenant, DateTime deletedBefore, DateTime idempotencyBefore, CancellationToken ct) =>
        db.WriteAsync(session =>
        {
            int purged = 0;
            foreach (var obj in StandardObjects.All)
            {
                var command = session.Command(RecordSql.For(obj).Purge);
                command.Parameters.AddWithValue("$tenant", tenant.ToString());
                command.Parameters.AddWithValue("$cutoff", ColumnValues.FormatDateTime(deletedBefore));
                purged += command.ExecuteNonQuery();
            }
            IdempotencySql.Purge(session, tenant, idempotencyBefore);
            return purged;
        }, ct);

    static void BindRecord(SqliteCommand command, TenantId tenant, Record record)
    {
        command.Parameters.AddWithValue("$tenant", tenant.ToString());
        command.Parameters.AddWithValue("$custom", ColumnValues.CustomToColumn(record.Custom));
        command.Parameters.AddWithValue("$deleted_at", record.DeletedAt is { } at ? ColumnValues.FormatDateTime(at) : DBNull.Value);
        command.Parameters.AddWithValue("$deleted_with", (object?)record.DeletedWith ?? DBNull.Value);
        for (int i = 0; i < record.Values.Length; i++)
            command.Parameters.AddWithValue(FieldParameterNames.Get(i), ColumnValues.ToColumn(record.Values[i]));
    }

    static Record ReadRecord(ObjectMetadata obj, SqliteDataReader reader)
    {
        var values = new object?[obj.Fields.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = ColumnValues.FromColumn(reader, RecordSql.FirstFieldOrdinal + i, obj.Fields[i].Storage);
        return new Record(obj, values, ColumnValues.CustomFromColumn(reader, 1), reader.GetInt64(0))
        {
            DeletedAt = ColumnValues.FromColumn(reader, 2, StorageKind.DateTime) as DateTime?,
            DeletedWith = reader.IsDBNull(3) ? null : reader.GetString(3),
        };
    }

    static void CheckUnique(SqliteSession session, TenantId tenant, Record record, FieldMetadata field)
    {
        if (!record.Custom.TryGetValue(field.Name, out var value)) return;
        var command = session.Command($"SELECT Id FROM {record.Object.Table} WHERE tenant_id = $tenant AND {RecordQuerySql.Column(field)} = $value AND Id <> $id AND IsDeleted = 0 LIMIT 1");
        command.Parameters.AddWithValue("$tenant", tenant.ToString());
        command.Parameters.AddWithValue("$value", value.ValueKind == System.Text.Json.JsonValueKind.Number ? value.GetDouble() : value.ToString());
        command.Parameters.AddWithValue("$id", (object?)(record.Values[0] as string) ?? DBNull.Value);
        if (command.ExecuteScalar() is string existing) throw new FailedCommit(CommitFailure.DuplicateValue, field.Name, existing);
    }

    sealed class FailedCommit(CommitFailure failure, string? field = null, string? existingId = null) : Exception(failure.ToString())
    {
        public CommitFailure Failure { get; } = failure;
        public string? Field { get; } = field;
        public string? ExistingId { get; } = existingId;
    }

    static class FieldParameterNames
    {
        static readonly string[] Names = Enumerable.Range(0, 256).Select(i => $"$f{i}").ToArray();

        public static string Get(int i) => Names[i];
    }
}
