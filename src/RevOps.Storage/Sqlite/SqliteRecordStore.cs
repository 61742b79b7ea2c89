using System.Text;
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
        var text = new StringBuilder($"SELECT {sql.SelectColumns} FROM {sql.Table} WHERE tenant_id = $tenant AND IsDeleted = 0");
        var values = new List<object>();
        foreach (var anyOf in query.AllOf)
        {
            text.Append(" AND (");
            for (int i = 0; i < anyOf.Count; i++)
            {
                if (i > 0) text.Append(" OR ");
                AppendCondition(obj, anyOf[i], text, values);
            }
            text.Append(')');
        }
        var orderField = obj.Field(query.OrderBy);
        string direction = query.Descending ? "DESC" : "ASC";
        text.Append($" ORDER BY {orderField.Name} {direction}, Id {direction} LIMIT $limit");

        return Task.FromResult<IReadOnlyList<Record>>(db.Read(session =>
        {
            var command = session.Command(text.ToString());
            command.Parameters.AddWithValue("$tenant", tenant.ToString());
            for (int i = 0; i < values.Count; i++) command.Parameters.AddWithValue($"$p{i}", values[i]);
            command.Parameters.AddWithValue("$limit", query.Limit);
            using var reader = command.ExecuteReader();
            var records = new List<Record>();
            while (reader.Read()) records.Add(ReadRecord(obj, reader));
            return records;
        }));
    }

    static void AppendCondition(ObjectMetadata obj, Condition condition, StringBuilder text, List<object> values)
    {
        var field = obj.Field(condition.Field);
        string parameter = $"$p{values.Count}";
        switch (condition.Op)
        {
            case ConditionOp.Equals:
                text.Append($"{field.Name} = {parameter}");
                values.Add(ColumnValues.ToColumn(condition.Value));
                break;
            case ConditionOp.StartsWith:
                // LIKE on a NOCASE column with a constant-prefix pattern is answered from the index.
                text.Append($"{field.Name} LIKE {parameter} ESCAPE '\\'");
                values.Add(EscapeLike((string)condition.Value) + "%");
                break;
            case ConditionOp.GreaterOrEqual:
                text.Append($"{field.Name} >= {parameter}");
                values.Add(ColumnValues.ToColumn(condition.Value));
                break;
            case ConditionOp.LessOrEqual:
                text.Append($"{field.Name} <= {parameter}");
                values.Add(ColumnValues.ToColumn(condition.Value));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(condition), condition.Op, "Unknown condition.");
        }
    }

    static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    public Task<long> InsertAsync(TenantId tenant, Record record, ChangeEntry change, CancellationToken ct)
    {
        var sql = RecordSql.For(record.Object);
        return db.WriteAsync(session =>
        {
            var command = session.Command(sql.Insert);
            BindRecord(command, tenant, record);
            command.ExecuteNonQuery();
            return SqliteChangeLog.Write(session, tenant, change);
        }, ct);
    }

    public Task<long?> UpdateAsync(TenantId tenant, Record record, long expectedVersion, ChangeEntry change, CancellationToken ct)
    {
        var sql = RecordSql.For(record.Object);
        return db.WriteAsync<long?>(session =>
        {
            var command = session.Command(sql.Update);
            BindRecord(command, tenant, record);
            command.Parameters.AddWithValue("$version", expectedVersion);
            if (command.ExecuteNonQuery() == 0) return null;
            return SqliteChangeLog.Write(session, tenant, change);
        }, ct);
    }

    static void BindRecord(SqliteCommand command, TenantId tenant, Record record)
    {
        command.Parameters.AddWithValue("$tenant", tenant.ToString());
        command.Parameters.AddWithValue("$custom", ColumnValues.CustomToColumn(record.Custom));
        for (int i = 0; i < record.Values.Length; i++)
            command.Parameters.AddWithValue(FieldParameterNames.Get(i), ColumnValues.ToColumn(record.Values[i]));
    }

    static Record ReadRecord(ObjectMetadata obj, SqliteDataReader reader)
    {
        var values = new object?[obj.Fields.Count];
        for (int i = 0; i < values.Length; i++)
            values[i] = ColumnValues.FromColumn(reader, RecordSql.FirstFieldOrdinal + i, obj.Fields[i].Storage);
        return new Record(obj, values, ColumnValues.CustomFromColumn(reader, 1), reader.GetInt64(0));
    }

    static class FieldParameterNames
    {
        static readonly string[] Names = Enumerable.Range(0, 256).Select(i => $"$f{i}").ToArray();

        public static string Get(int i) => Names[i];
    }
}
