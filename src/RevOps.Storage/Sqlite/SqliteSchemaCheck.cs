using Microsoft.Data.Sqlite;
using RevOps.Domain.Metadata;

namespace RevOps.Storage.Sqlite;

/// <summary>Fails start-up if a metadata field has no column: the registry and migrations must agree.</summary>
internal static class SqliteSchemaCheck
{
    public static void Verify(SqliteConnection connection)
    {
        foreach (var obj in StandardObjects.All)
        {
            var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM pragma_table_info($table)";
            command.Parameters.AddWithValue("$table", obj.Table);
            using (var reader = command.ExecuteReader())
                while (reader.Read()) columns.Add(reader.GetString(0));
            var missing = obj.Fields.Where(f => !columns.Contains(f.Name)).Select(f => f.Name).ToList();
            if (missing.Count > 0)
                throw new InvalidOperationException($"Table '{obj.Table}' lacks columns for {obj.Name} fields: {string.Join(", ", missing)}. A migration is missing.");
        }
    }
}
