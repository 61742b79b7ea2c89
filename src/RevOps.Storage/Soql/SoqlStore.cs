using System.Data.Common;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Soql;

/// <summary>
/// Runs SOQL plans in the statement <see cref="SoqlSql"/> writes for the engine's dialect. The count
/// and the page are read in one snapshot, so they agree; child subqueries run once per page of
/// parents, with the parents' Ids as one parameter.
/// </summary>
internal sealed class SoqlStore(SqlDatabase db) : ISoqlStore
{
    public Task<SoqlPage> QueryAsync(TenantId tenant, SoqlPlan plan, bool includeDeleted, int offset, int pageSize, CancellationToken ct)
    {
        var sql = SoqlSql.For(plan, includeDeleted, db.Dialect);
        return db.ReadAsync(tenant, session => RunAsync(session, tenant, plan, sql, includeDeleted, offset, pageSize, ct), ct, snapshot: true);
    }

    public Task<long> StreamAsync(TenantId tenant, SoqlPlan plan, Action<SoqlRow> onRow, CancellationToken ct)
    {
        var sql = SoqlSql.For(plan, includeDeleted: false, db.Dialect);
        return db.ReadAsync(tenant, async session =>
        {
            var d = session.Dialect;
            var select = Bind(session, session.Command(sql.Select), tenant, sql);
            d.AddOptionalLimit(select, "@take", plan.Limit);
            d.AddLong(select, "@skip", plan.Offset);
            long count = 0;
            string name = plan.Root.Object.Name;
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                onRow(new SoqlRow(name, reader.GetString(0), ReadFields(d, reader, sql.Reader)));
                count++;
            }
            return count;
        }, ct, snapshot: true);
    }

    static async Task<SoqlPage> RunAsync(SqlSession session, TenantId tenant, SoqlPlan plan, SoqlSql sql, bool includeDeleted, int offset, int pageSize, CancellationToken ct)
    {
        var d = session.Dialect;
        if (plan.IsAggregate)
        {
            var command = Bind(session, session.Command(sql.Select), tenant, sql);
            d.AddOptionalLimit(command, "@limit", plan.Limit);
            d.AddLong(command, "@offset", plan.Offset);
            var groups = new List<SoqlRow>();
            await using (var reader = await command.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) groups.Add(new SoqlRow(null, null, ReadFields(d, reader, sql.Reader)));
            return new SoqlPage(groups.Count, groups, IsAggregate: true, IsCountOnly: false);
        }

        var count = Bind(session, session.Command(sql.Count), tenant, sql);
        d.AddOptionalLimit(count, "@limit", plan.Limit);
        d.AddLong(count, "@offset", plan.Offset);
        long total = Convert.ToInt64(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        if (plan.IsCountOnly) return new SoqlPage(total, [], IsAggregate: false, IsCountOnly: true);

        long take = Math.Max(0, Math.Min(pageSize, total - offset));
        var rows = new List<(string Id, List<KeyValuePair<string, object?>> Fields)>();
        if (take > 0)
        {
            var select = Bind(session, session.Command(sql.Select), tenant, sql);
            d.AddLong(select, "@take", take);
            d.AddLong(select, "@skip", (long)plan.Offset + offset);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) rows.Add((reader.GetString(0), ReadFields(d, reader, sql.Reader)));
        }

        foreach (var children in sql.Reader.OfType<SoqlReadNode.Children>())
        {
            var byParent = await ReadChildrenAsync(session, tenant, children.Plan, includeDeleted, rows.Select(r => r.Id).ToArray(), ct);
            foreach (var (id, fields) in rows)
            {
                int index = fields.FindIndex(f => f.Key == children.Name);
                fields[index] = new(children.Name, byParent.TryGetValue(id, out var found) ? found : null);
            }
        }
        return new SoqlPage(total, rows.Select(r => new SoqlRow(plan.Root.Object.Name, r.Id, r.Fields)).ToArray(), IsAggregate: false, IsCountOnly: false);
    }

    /// <summary>The children of each parent, after the subquery's own ORDER BY, OFFSET and LIMIT per parent; parents without any are absent.</summary>
    static async Task<Dictionary<string, SoqlChildren>> ReadChildrenAsync(SqlSession session, TenantId tenant, SoqlPlan plan, bool includeDeleted,
        string[] parentIds, CancellationToken ct)
    {
        var result = new Dictionary<string, SoqlChildren>(StringComparer.Ordinal);
        if (parentIds.Length == 0) return result;
        var sql = SoqlSql.ForChildren(plan, includeDeleted, session.Dialect);
        var command = Bind(session, session.Command(sql.Select), tenant, sql);
        session.Dialect.AddParents(command, parentIds);
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
                list.Add(new SoqlRow(plan.Root.Object.Name, reader.GetString(1), ReadFields(session.Dialect, reader, sql.Reader)));
            }
        }
        foreach (var (parent, list) in grouped) result[parent] = new SoqlChildren(list.Count, list);
        return result;
    }

    static DbCommand Bind(SqlSession session, DbCommand command, TenantId tenant, SoqlSql sql)
    {
        session.Dialect.AddTenant(command, tenant);
        for (int i = 0; i < sql.Values.Count; i++) session.Dialect.Add(command, $"@p{i}", sql.Values[i].Value, sql.Values[i].Kind);
        return command;
    }

    static List<KeyValuePair<string, object?>> ReadFields(SqlDialect d, DbDataReader reader, IReadOnlyList<SoqlReadNode> nodes) =>
        SoqlRowReader.ReadFields(reader, nodes, (r, ordinal, expr) => ReadValue(d, r, ordinal, expr));

    static object? ReadValue(SqlDialect d, DbDataReader reader, int ordinal, SoqlExpr expr)
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
        return field.Custom ? d.ReadCustomValue(field, reader.GetValue(ordinal)) : d.Read(reader, ordinal, field.Storage);
    }
}
