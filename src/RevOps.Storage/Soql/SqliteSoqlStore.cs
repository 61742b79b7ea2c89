using System.Buffers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RevOps.Domain.Metadata;
using RevOps.Domain.Soql;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sqlite;

namespace RevOps.Storage.Soql;

/// <summary>
/// Runs SOQL plans on SQLite. The count and the page are read in one read transaction, so they
/// agree; child subqueries run once per page of parents, with the parents' Ids as one JSON parameter.
/// </summary>
public sealed class SqliteSoqlStore(SqliteDatabase db) : ISoqlStore
{
    public Task<SoqlPage> QueryAsync(TenantId tenant, SoqlPlan plan, bool includeDeleted, int offset, int pageSize, CancellationToken ct)
    {
        var sql = SoqlSql.For(plan, includeDeleted, SqliteSoqlDialect.Instance);
        return Task.FromResult(db.Read(session =>
        {
            session.Execute("BEGIN");
            try
            {
                return Run(session, tenant, plan, sql, includeDeleted, offset, pageSize);
            }
            finally
            {
                session.Execute("COMMIT");
            }
        }));
    }

    static SoqlPage Run(SqliteSession session, TenantId tenant, SoqlPlan plan, SoqlSql sql, bool includeDeleted, int offset, int pageSize)
    {
        if (plan.IsAggregate)
        {
            var command = Bind(session.Command(sql.Select), tenant, sql);
            command.Parameters.AddWithValue("$limit", plan.Limit ?? -1);
            command.Parameters.AddWithValue("$offset", plan.Offset);
            var groups = new List<SoqlRow>();
            using (var reader = command.ExecuteReader())
                while (reader.Read()) groups.Add(new SoqlRow(null, null, ReadFields(reader, sql.Reader)));
            return new SoqlPage(groups.Count, groups, IsAggregate: true, IsCountOnly: false);
        }

        var count = Bind(session.Command(sql.Count), tenant, sql);
        count.Parameters.AddWithValue("$limit", plan.Limit ?? -1);
        count.Parameters.AddWithValue("$offset", plan.Offset);
        long total = (long)count.ExecuteScalar()!;
        if (plan.IsCountOnly) return new SoqlPage(total, [], IsAggregate: false, IsCountOnly: true);

        long take = Math.Max(0, Math.Min(pageSize, total - offset));
        var rows = new List<(string Id, List<KeyValuePair<string, object?>> Fields)>();
        if (take > 0)
        {
            var select = Bind(session.Command(sql.Select), tenant, sql);
            select.Parameters.AddWithValue("$take", take);
            select.Parameters.AddWithValue("$skip", (long)plan.Offset + offset);
            using var reader = select.ExecuteReader();
            while (reader.Read()) rows.Add((reader.GetString(0), ReadFields(reader, sql.Reader)));
        }

        foreach (var children in sql.Reader.OfType<SoqlReadNode.Children>())
        {
            var byParent = ReadChildren(session, tenant, children.Plan, includeDeleted, rows.Select(r => r.Id).ToArray());
            foreach (var (id, fields) in rows)
            {
                int index = fields.FindIndex(f => f.Key == children.Name);
                fields[index] = new(children.Name, byParent.TryGetValue(id, out var found) ? found : null);
            }
        }
        return new SoqlPage(total, rows.Select(r => new SoqlRow(plan.Root.Object.Name, r.Id, r.Fields)).ToArray(), IsAggregate: false, IsCountOnly: false);
    }

    /// <summary>The children of each parent, after the subquery's own ORDER BY, OFFSET and LIMIT per parent; parents without any are absent.</summary>
    static Dictionary<string, SoqlChildren> ReadChildren(SqliteSession session, TenantId tenant, SoqlPlan plan, bool includeDeleted, string[] parentIds)
    {
        var result = new Dictionary<string, SoqlChildren>(StringComparer.Ordinal);
        if (parentIds.Length == 0) return result;
        var sql = SoqlSql.ForChildren(plan, includeDeleted, SqliteSoqlDialect.Instance);
        var command = Bind(session.Command(sql.Select), tenant, sql);
        command.Parameters.AddWithValue("$parents", JsonArray(parentIds));
        var grouped = new Dictionary<string, List<SoqlRow>>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                string parent = reader.GetString(0);
                int position = seen[parent] = seen.GetValueOrDefault(parent) + 1;
                if (position <= plan.Offset || position > plan.Offset + (long)(plan.Limit ?? int.MaxValue)) continue;
                if (!grouped.TryGetValue(parent, out var list)) grouped[parent] = list = [];
                list.Add(new SoqlRow(plan.Root.Object.Name, reader.GetString(1), ReadFields(reader, sql.Reader)));
            }
        }
        foreach (var (parent, list) in grouped) result[parent] = new SoqlChildren(list.Count, list);
        return result;
    }

    static string JsonArray(string[] values)
    {
        var buffer = new ArrayBufferWriter<byte>(values.Length * 21 + 2);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values) writer.WriteStringValue(value);
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    static SqliteCommand Bind(SqliteCommand command, TenantId tenant, SoqlSql sql)
    {
        command.Parameters.AddWithValue("$tenant", tenant.ToString());
        for (int i = 0; i < sql.Values.Count; i++) command.Parameters.AddWithValue($"$p{i}", sql.Values[i].Value);
        return command;
    }

    static List<KeyValuePair<string, object?>> ReadFields(SqliteDataReader reader, IReadOnlyList<SoqlReadNode> nodes) =>
        SoqlRowReader.ReadFields(reader, nodes, ReadValue);

    static object? ReadValue(SqliteDataReader reader, int ordinal, SoqlExpr expr)
    {
        if (reader.IsDBNull(ordinal)) return null;
        switch (expr.Aggregate)
        {
            case SoqlAggregate.Count or SoqlAggregate.CountDistinct:
                return reader.GetInt64(ordinal);
            case SoqlAggregate.Sum or SoqlAggregate.Avg:
                return reader.GetDouble(ordinal);
        }
        var field = expr.Field!.Field;
        return field.Custom ? CustomValue(field, reader.GetValue(ordinal)) : ColumnValues.FromColumn(reader, ordinal, field.Storage);
    }

    /// <summary>A custom field's value as the JSON the record holds (json_extract gives checkboxes as 0/1).</summary>
    static JsonElement CustomValue(FieldMetadata field, object raw)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            switch (raw)
            {
                case long l when field.Type == FieldType.Boolean: writer.WriteBooleanValue(l != 0); break;
                case long l: writer.WriteNumberValue(l); break;
                case double d: writer.WriteNumberValue(d); break;
                default: writer.WriteStringValue(Convert.ToString(raw, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }
        return JsonElement.Parse(buffer.WrittenSpan);
    }
}
