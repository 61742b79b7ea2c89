using System.Buffers;
using System.Data;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using RevOps.Domain.Metadata;
using RevOps.Domain.Soql;
using RevOps.Domain.Stores;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Soql;

namespace RevOps.Storage.Postgres;

/// <summary>
/// Runs SOQL plans on PostgreSQL, in the statement SoqlSql writes for <see cref="PostgresSoqlDialect"/>.
/// The count and the page are read in one REPEATABLE READ transaction, so they agree; child
/// subqueries run once per page of parents, with the parents' Ids as one text[] parameter.
/// </summary>
internal sealed class PostgresSoqlStore(PostgresDatabase db) : ISoqlStore
{
    public Task<SoqlPage> QueryAsync(TenantId tenant, SoqlPlan plan, bool includeDeleted, int offset, int pageSize, CancellationToken ct)
    {
        var sql = SoqlSql.For(plan, includeDeleted, PostgresSoqlDialect.Instance);
        return db.InTenantAsync(tenant, connection => RunAsync(connection, tenant, plan, sql, includeDeleted, offset, pageSize, ct), ct, IsolationLevel.RepeatableRead);
    }

    static async Task<SoqlPage> RunAsync(NpgsqlConnection connection, TenantId tenant, SoqlPlan plan, SoqlSql sql, bool includeDeleted, int offset, int pageSize, CancellationToken ct)
    {
        if (plan.IsAggregate)
        {
            await using var command = Bind(new NpgsqlCommand(sql.Select, connection), tenant, sql);
            PostgresValues.Add(command.Parameters, "limit", (long?)plan.Limit);
            PostgresValues.Add(command.Parameters, "offset", (long)plan.Offset);
            var groups = new List<SoqlRow>();
            await using (var reader = await command.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) groups.Add(new SoqlRow(null, null, ReadFields(reader, sql.Reader)));
            return new SoqlPage(groups.Count, groups, IsAggregate: true, IsCountOnly: false);
        }

        long total;
        await using (var count = Bind(new NpgsqlCommand(sql.Count, connection), tenant, sql))
        {
            PostgresValues.Add(count.Parameters, "limit", (long?)plan.Limit);
            PostgresValues.Add(count.Parameters, "offset", (long)plan.Offset);
            total = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        if (plan.IsCountOnly) return new SoqlPage(total, [], IsAggregate: false, IsCountOnly: true);

        long take = Math.Max(0, Math.Min(pageSize, total - offset));
        var rows = new List<(string Id, List<KeyValuePair<string, object?>> Fields)>();
        if (take > 0)
        {
            await using var select = Bind(new NpgsqlCommand(sql.Select, connection), tenant, sql);
            PostgresValues.Add(select.Parameters, "take", take);
            PostgresValues.Add(select.Parameters, "skip", (long)plan.Offset + offset);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) rows.Add((reader.GetString(0), ReadFields(reader, sql.Reader)));
        }

        foreach (var children in sql.Reader.OfType<SoqlReadNode.Children>())
        {
            var byParent = await ReadChildrenAsync(connection, tenant, children.Plan, includeDeleted, rows.Select(r => r.Id).ToArray(), ct);
            foreach (var (id, fields) in rows)
            {
                int index = fields.FindIndex(f => f.Key == children.Name);
                fields[index] = new(children.Name, byParent.TryGetValue(id, out var found) ? found : null);
            }
        }
        return new SoqlPage(total, rows.Select(r => new SoqlRow(plan.Root.Object.Name, r.Id, r.Fields)).ToArray(), IsAggregate: false, IsCountOnly: false);
    }

    /// <summary>The children of each parent, after the subquery's own ORDER BY, OFFSET and LIMIT per parent; parents without any are absent.</summary>
    static async Task<Dictionary<string, SoqlChildren>> ReadChildrenAsync(NpgsqlConnection connection, TenantId tenant, SoqlPlan plan, bool includeDeleted,
        string[] parentIds, CancellationToken ct)
    {
        var result = new Dictionary<string, SoqlChildren>(StringComparer.Ordinal);
        if (parentIds.Length == 0) return result;
        var sql = SoqlSql.ForChildren(plan, includeDeleted, PostgresSoqlDialect.Instance);
        await using var command = Bind(new NpgsqlCommand(sql.Select, connection), tenant, sql);
        command.Parameters.Add(new NpgsqlParameter("parents", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = parentIds });
        var grouped = new Dictionary<string, List<SoqlRow>>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
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

    static NpgsqlCommand Bind(NpgsqlCommand command, TenantId tenant, SoqlSql sql)
    {
        PostgresValues.AddTenant(command.Parameters, tenant);
        for (int i = 0; i < sql.Values.Count; i++) PostgresValues.Add(command.Parameters, $"p{i}", sql.Values[i].Value, sql.Values[i].Kind);
        return command;
    }

    static List<KeyValuePair<string, object?>> ReadFields(NpgsqlDataReader reader, IReadOnlyList<SoqlReadNode> nodes) =>
        SoqlRowReader.ReadFields(reader, nodes, ReadValue);

    static object? ReadValue(NpgsqlDataReader reader, int ordinal, SoqlExpr expr)
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
        return field.Custom ? CustomValue(reader.GetValue(ordinal)) : PostgresValues.FromColumn(reader, ordinal, field.Storage);
    }

    /// <summary>A custom field's value as the JSON the record holds.</summary>
    static JsonElement CustomValue(object raw)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            switch (raw)
            {
                case bool b: writer.WriteBooleanValue(b); break;
                case double d: writer.WriteNumberValue(d); break;
                default: writer.WriteStringValue(Convert.ToString(raw, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }
        return JsonElement.Parse(buffer.WrittenSpan);
    }
}
