using System.Data.Common;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Storage.ChangeLog;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Records;

/// <summary>
/// One record written inside a tenant's write transaction, with its change-log row: the step every
/// record write shares (record commits, users, a new tenant's first user).
/// </summary>
internal static class RecordRowWrite
{
    /// <summary>Inserts the record, or updates it if it is still at the expected version; false when another write moved it on.</summary>
    /// <param name="seq">The change's sequence; null writes no change-log row (a new tenant's first user, which the audit log records).</param>
    /// <param name="changesJson">The change's fields as <see cref="ChangeJson.Serialize"/> writes them.</param>
    public static async Task<bool> WriteAsync(SqlSession session, RecordSql sql, TenantId tenant, RecordWrite write, long? seq, string? changesJson, CancellationToken ct)
    {
        var command = session.Command(write.ExpectedVersion is null ? sql.Insert : sql.Update);
        Bind(session.Dialect, command, tenant, write.Record);
        if (write.ExpectedVersion is { } version) session.Dialect.AddLong(command, "@version", version);
        if (await command.ExecuteNonQueryAsync(ct) == 0) return false;
        if (seq is { } s) await ChangeLogAppend.WriteAsync(session, tenant, s, write.Change, changesJson!, ct);
        return true;
    }

    public static void Bind(SqlDialect d, DbCommand command, TenantId tenant, Record record)
    {
        d.AddTenant(command, tenant);
        d.AddCustom(command, "@custom", record.Custom);
        d.AddTime(command, "@deleted_at", record.DeletedAt);
        d.AddText(command, "@deleted_with", record.DeletedWith);
        var fields = record.Object.Fields;
        for (int i = 0; i < record.Values.Length; i++) d.Add(command, RecordSql.FieldParameters[i], record.Values[i], fields[i].Storage);
    }
}
