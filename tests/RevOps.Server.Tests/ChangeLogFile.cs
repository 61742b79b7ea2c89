using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace RevOps.Server.Tests;

/// <summary>
/// A change-log row as the database holds it; Changes is the {"Field": {"before", "after"}} JSON. Actor is the
/// acting User Id, ActorName that user's name at the time, KeyId the API key the change came with (null for tokens, the CLI and stdio).
/// </summary>
public sealed record ChangeRow(long Seq, string Object, string RecordId, string Operation, JsonElement Changes, string Actor, string Channel, string? RequestId,
    string? ActorName, string? KeyId);

/// <summary>Reads a tenant's change log straight from the server's database (its SQLite file read-only, or its PostgreSQL database), to check what writes recorded.</summary>
public static class ChangeLogFile
{
    public static List<ChangeRow> Read(CrmServerFixture server, string tenantId)
    {
        if (server.Database is { } database) return ReadPostgres(database, tenantId);
        using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "revops.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, object, record_id, operation, changes, actor_id, channel, request_id, actor_name, key_id FROM change_log WHERE tenant_id = $t ORDER BY seq";
        command.Parameters.AddWithValue("$t", tenantId);
        using var reader = command.ExecuteReader();
        var rows = new List<ChangeRow>();
        while (reader.Read())
            rows.Add(new ChangeRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                JsonElement.Parse(reader.GetString(4)), reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
        return rows;
    }

    static List<ChangeRow> ReadPostgres(string database, string tenantId)
    {
        using var connection = new Npgsql.NpgsqlConnection(database);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(
            "SELECT seq, object, record_id, operation, changes, actor_id, channel, request_id, actor_name, key_id FROM change_log WHERE tenant_id = @t ORDER BY seq", connection);
        command.Parameters.AddWithValue("t", Guid.Parse(tenantId));
        using var reader = command.ExecuteReader();
        var rows = new List<ChangeRow>();
        while (reader.Read())
            rows.Add(new ChangeRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                JsonElement.Parse(reader.GetString(4)), reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
        return rows;
    }
}
