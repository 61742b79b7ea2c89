using System.Collections.Frozen;
using System.Data.Common;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Storage.ChangeLog;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Records;

/// <summary>
/// Records of the standard objects, on either engine. A commit writes the records, their change-log
/// rows and the idempotency key in one transaction of the tenant: it first takes the sequence numbers
/// from the tenant row (which serializes the tenant's writes), then checks unique values, inserts or
/// updates each record under its expected version and appends its change. Any failure undoes all of it.
/// The webhook outbox needs no row here: change_log is the outbox (see <see cref="Outbox.WebhookOutbox"/>).
/// </summary>
internal sealed class RecordStore(SqlDatabase db) : IRecordStore
{
    readonly FrozenDictionary<string, RecordSql> _statements =
        StandardObjects.All.ToFrozenDictionary(o => o.Name, o => new RecordSql(o, db.Dialect));

    /// <summary>Custom objects' statements, made on first use: every custom object has the same columns, so they differ only in object_name.</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, RecordSql> _customStatements = new(StringComparer.Ordinal);

    RecordSql Statements(ObjectMetadata obj) =>
        obj.StoredAs is null ? _statements[obj.Name] : _customStatements.GetOrAdd(obj.StoredAs, static (_, state) => new RecordSql(state.obj, state.Dialect), (obj, db.Dialect));

    public Task<Record?> GetAsync(TenantId tenant, ObjectMetadata obj, string id, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(Statements(obj).SelectById);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@id", id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? ReadRecord(session.Dialect, obj, reader) : null;
        }, ct);

    public Task<bool> ExistsAsync(TenantId tenant, ObjectMetadata obj, string id, CancellationToken ct) =>
        db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(Statements(obj).Exists);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddText(command, "@id", id);
            return await command.ExecuteScalarAsync(ct) is not null;
        }, ct);

    public Task<IReadOnlySet<string>> LiveAmongAsync(TenantId tenant, ObjectMetadata obj, IReadOnlyCollection<string> ids, CancellationToken ct) =>
        db.ReadAsync<IReadOnlySet<string>>(tenant, async session =>
        {
            var command = session.Command(Statements(obj).LiveAmong);
            session.Dialect.AddTenant(command, tenant);
            session.Dialect.AddParents(command, ids.ToArray());
            await using var reader = await command.ExecuteReaderAsync(ct);
            var live = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(ct)) live.Add(reader.GetString(0));
            return live;
        }, ct);

    public Task<IReadOnlyList<Record>> QueryAsync(TenantId tenant, ObjectMetadata obj, RecordQuery query, CancellationToken ct)
    {
        var where = new RecordQuerySql(obj, query, db.Dialect);
        string text = $"SELECT {Statements(obj).SelectColumns} {where.From} {where.OrderBy} {db.Dialect.LimitOffset}";
        return db.ReadAsync<IReadOnlyList<Record>>(tenant, async session =>
        {
            var command = session.Command(text);
            where.Bind(command, tenant);
            session.Dialect.AddLong(command, "@limit", query.Limit);
            session.Dialect.AddLong(command, "@offset", query.Offset);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var records = new List<Record>();
            while (await reader.ReadAsync(ct)) records.Add(ReadRecord(session.Dialect, obj, reader));
            return records;
        }, ct);
    }

    public Task<long> CountAsync(TenantId tenant, ObjectMetadata obj, RecordQuery query, CancellationToken ct)
    {
        var where = new RecordQuerySql(obj, query, db.Dialect);
        string text = $"SELECT COUNT(*) {where.From}";
        return db.ReadAsync(tenant, async session =>
        {
            var command = session.Command(text);
            where.Bind(command, tenant);
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        }, ct);
    }

    public async Task<CommitResult> CommitAsync(TenantId tenant, IReadOnlyList<RecordWrite> writes, IdempotencyEntry? idempotency, CancellationToken ct,
        Domain.Imports.ImportMark? mark = null)
    {
        // Serialized here, in parallel with other requests, not inside the transaction (SQLite: the single writer's turn).
        var changesJson = new string[writes.Count];
        for (int i = 0; i < writes.Count; i++) changesJson[i] = ChangeJson.Serialize(writes[i].Change.Changes);
        long[] sequences;
        bool insertsOnly = writes.Count > 0 && writes.All(InsertsOnly);
        long[] Inserted(SqlSession session, object? returned) => Numbered(ChangeLogAppend.Appended(session, tenant, returned, writes.Count), writes.Count);
        try
        {
            // New records alone are statements known up front: PostgreSQL's group commit sends several such commits in one round trip.
            if (insertsOnly && idempotency is null && mark is null)
                sequences = await db.WriteStatementsAsync(tenant, session => InsertStatements(session, tenant, writes, changesJson), Inserted, ct);
            else sequences = await db.WriteAsync(tenant, async session =>
            {
                var assigned = new long[writes.Count];
                if (writes.Count == 0 && idempotency is null && mark is null) return assigned;
                if (insertsOnly)
                {
                    assigned = Inserted(session, await session.ExecuteEachAsync(InsertStatements(session, tenant, writes, changesJson), ct));
                }
                else
                {
                    // Unique values and expected versions are checked under the tenant row's lock, so no other write can race them.
                    long first = writes.Count > 0 ? await ChangeLogAppend.TakeSequencesAsync(session, tenant, writes.Count, ct) : 0;
                    for (int i = 0; i < writes.Count; i++)
                    {
                        var write = writes[i];
                        assigned[i] = first + i;
                        foreach (var unique in write.UniqueFields) await CheckUniqueAsync(session, tenant, write.Record, unique, ct);
                        // Throwing rolls the transaction back (SQLite: this request's savepoint): the writes before it are undone too.
                        if (!await RecordRowWrite.WriteAsync(session, Statements(write.Record.Object), tenant, write, assigned[i], changesJson[i], ct))
                            throw new FailedCommit(CommitFailure.VersionConflict);
                    }
                }
                if (idempotency is not null && !await Idempotency.InsertAsync(session, tenant, idempotency, assigned.Length > 0 ? assigned[0] : 0, ct))
                    throw new FailedCommit(CommitFailure.IdempotencyKeyTaken);
                if (mark is not null && !await Imports.ImportJobSql.AdvanceAsync(session, tenant, mark, ct))
                    throw new FailedCommit(CommitFailure.ImportMoved);
                return assigned;
            }, ct);
        }
        catch (FailedCommit failed)
        {
            return new CommitResult([], failed.Failure, failed.Field, failed.ExistingId);
        }
        // The write's task completes only after COMMIT, so followers woken here find the rows.
        if (sequences.Length > 0) db.TenantChanges.Raise(tenant, sequences[^1]);
        return new CommitResult(sequences, null);
    }

    /// <summary>
    /// New records' rows, then their change-log rows and sequence numbers. New rows wait for no one and no one waits for them,
    /// so they go in before the sequence is taken: the tenant row, which serializes the tenant's writes, is then locked only for
    /// the change-log rows and COMMIT. Consecutive rows of one object share a multi-row INSERT. PostgreSQL sends the rows, the
    /// sequence and the change-log rows in one round trip: the lock is still taken after the rows went in. The sequence's
    /// UPDATE … RETURNING is the only statement that returns a row.
    /// </summary>
    SqlStatements InsertStatements(SqlSession session, TenantId tenant, IReadOnlyList<RecordWrite> writes, string[] changesJson) =>
        RecordRowsInsert.Statements(session, write => Statements(write.Record.Object), tenant, writes)
            .Then(ChangeLogAppend.TakeAndWrite(session, tenant, writes.Select(w => w.Change).ToArray(), changesJson));

    /// <summary>Sequence numbers <paramref name="first"/>, <paramref name="first"/> + 1, … for <paramref name="count"/> writes.</summary>
    static long[] Numbered(long first, int count)
    {
        var numbers = new long[count];
        for (int i = 0; i < count; i++) numbers[i] = first + i;
        return numbers;
    }

    /// <summary>A new record with no unique value to check: nothing it does depends on holding the tenant row's lock.</summary>
    static bool InsertsOnly(RecordWrite write) => write.ExpectedVersion is null && write.UniqueFields.Count == 0;

    public Task<IdempotencyEntry?> FindIdempotencyAsync(TenantId tenant, string key, CancellationToken ct) =>
        db.ReadAsync(tenant, session => Idempotency.FindAsync(session, tenant, key, ct), ct);

    public Task<int> PurgeAsync(TenantId tenant, DateTime deletedBefore, DateTime idempotencyBefore, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            int purged = 0;
            foreach (var obj in StandardObjects.All)
            {
                var command = session.Command(Statements(obj).Purge);
                session.Dialect.AddTenant(command, tenant);
                session.Dialect.AddTime(command, "@cutoff", deletedBefore);
                purged += await command.ExecuteNonQueryAsync(ct);
            }
            // Every custom object's bin at once: they share one table.
            var custom = session.Command($"DELETE FROM {CustomObjectMetadata.Table} WHERE tenant_id = @tenant AND IsDeleted = {session.Dialect.True} AND deleted_at < @cutoff");
            session.Dialect.AddTenant(custom, tenant);
            session.Dialect.AddTime(custom, "@cutoff", deletedBefore);
            purged += await custom.ExecuteNonQueryAsync(ct);
            await Idempotency.PurgeAsync(session, tenant, idempotencyBefore, ct);
            return purged;
        }, ct);

    static Record ReadRecord(SqlDialect d, ObjectMetadata obj, DbDataReader reader)
    {
        var values = new object?[obj.Fields.Count];
        for (int i = 0; i < values.Length; i++) values[i] = d.Read(reader, RecordSql.FirstFieldOrdinal + i, obj.Fields[i].Storage);
        return new Record(obj, values, d.ReadCustom(reader, 1), reader.GetInt64(0))
        {
            DeletedAt = d.ReadNullableTime(reader, 2),
            DeletedWith = d.ReadNullableText(reader, 3),
        };
    }

    static async Task CheckUniqueAsync(SqlSession session, TenantId tenant, Record record, FieldMetadata field, CancellationToken ct)
    {
        if (!record.Custom.TryGetValue(field.Name, out var value)) return;
        var d = session.Dialect;
        var command = session.Command(
            $"SELECT Id FROM {record.Object.Table} WHERE tenant_id = @tenant AND {d.Column(field)} = @value AND Id {d.DistinctFrom} @id AND {d.NotDeleted()}{ObjectRows.Filter(record.Object)} LIMIT 1");
        d.AddTenant(command, tenant);
        d.Add(command, "@value", d.CustomValue(field, value), d.ParameterKind(field, custom: true));
        d.AddText(command, "@id", record.Values[0] as string);
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
