using Npgsql;
using RevOps.Domain.Metadata;

namespace RevOps.Storage.Postgres;

/// <summary>
/// Fails start-up if a metadata field has no column of the type its storage kind needs, or a
/// tenant table is not under row-level security: the registry and the migrations must agree.
/// </summary>
internal static class PostgresSchemaCheck
{
    public static void Verify(NpgsqlConnection connection)
    {
        foreach (var obj in StandardObjects.All)
        {
            var columns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            using (var command = new NpgsqlCommand(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table", connection))
            {
                command.Parameters.AddWithValue("table", obj.Table);
                using var reader = command.ExecuteReader();
                while (reader.Read()) columns[reader.GetString(0)] = reader.GetString(1);
            }
            var problems = obj.Fields
                .Where(f => !columns.TryGetValue(f.Name, out var type) || type != PostgresValues.ColumnType(f.Storage))
                .Select(f => columns.TryGetValue(f.Name, out var type) ? $"{f.Name} is {type}, not {PostgresValues.ColumnType(f.Storage)}" : $"{f.Name} is missing")
                .ToList();
            if (problems.Count > 0)
                throw new InvalidOperationException($"Table '{obj.Table}' does not match the {obj.Name} fields: {string.Join("; ", problems)}. A migration is missing.");
        }
        using var unguarded = new NpgsqlCommand("""
            SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
            WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace AND NOT c.relrowsecurity
            """, connection);
        if (unguarded.ExecuteScalar() is string tables)
            throw new InvalidOperationException($"Tables without row-level security: {tables}. Every table with a tenant_id needs the tenant_wall policy.");
    }
}
