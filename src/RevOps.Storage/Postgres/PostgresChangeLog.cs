using Npgsql;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Storage.Postgres;

/// <summary>Appends a change inside the caller's tenant transaction, with the sequence the caller took from the tenant row.</summary>
internal static class PostgresChangeLog
{
    const string Append = """
        INSERT INTO change_log (tenant_id, seq, object, record_id, operation, changes, actor_id, channel, request_id, created_at)
        VALUES (@tenant, @seq, @object, @record, @operation, @changes, @actor, @channel, @request, @at)
        """;

    public static async Task AppendAsync(NpgsqlConnection connection, TenantId tenant, long seq, ChangeEntry change, string changesJson, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(Append, connection);
        PostgresValues.AddTenant(command.Parameters, tenant);
        PostgresValues.Add(command.Parameters, "seq", seq);
        PostgresValues.Add(command.Parameters, "object", change.Object);
        PostgresValues.Add(command.Parameters, "record", change.RecordId);
        PostgresValues.Add(command.Parameters, "operation", change.Operation);
        PostgresValues.Add(command.Parameters, "changes", changesJson);
        PostgresValues.Add(command.Parameters, "actor", change.ActorId);
        PostgresValues.Add(command.Parameters, "channel", change.Channel);
        PostgresValues.Add(command.Parameters, "request", change.RequestId);
        PostgresValues.Add(command.Parameters, "at", change.At);
        await command.ExecuteNonQueryAsync(ct);
    }
}
