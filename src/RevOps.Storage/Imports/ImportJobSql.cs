using RevOps.Domain.Imports;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Imports;

/// <summary>An import job's progress, written inside the transaction of the records it covers (see <see cref="Records.RecordStore"/>).</summary>
internal static class ImportJobSql
{
    const string Advance = """
        UPDATE import_jobs SET committed_row = @to, created = created + @created, updated = updated + @updated,
            skipped = skipped + @skipped, failed = failed + @failed, updated_at = @at
        WHERE tenant_id = @tenant AND id = @job AND committed_row = @from AND state = 'running'
        """;

    const string InsertRow = """
        INSERT INTO import_job_rows (tenant_id, job_id, row_number, status, column_name, value, reason)
        VALUES (@tenant, @job, @row, @status, @column, @value, @reason)
        """;

    /// <summary>False when the job is not where the mark says it was (another run moved it, or it finished).</summary>
    public static async Task<bool> AdvanceAsync(SqlSession session, TenantId tenant, ImportMark mark, CancellationToken ct)
    {
        var d = session.Dialect;
        var command = session.Command(Advance);
        d.AddTenant(command, tenant);
        d.AddText(command, "@job", mark.JobId);
        d.AddLong(command, "@from", mark.FromRow);
        d.AddLong(command, "@to", mark.ToRow);
        d.AddLong(command, "@created", mark.Added.Created);
        d.AddLong(command, "@updated", mark.Added.Updated);
        d.AddLong(command, "@skipped", mark.Added.Skipped);
        d.AddLong(command, "@failed", mark.Added.Failed);
        d.AddTime(command, "@at", mark.At);
        if (await command.ExecuteNonQueryAsync(ct) != 1) return false;
        foreach (var row in mark.NotWritten)
        {
            var insert = session.Command(InsertRow);
            d.AddTenant(insert, tenant);
            d.AddText(insert, "@job", mark.JobId);
            d.AddLong(insert, "@row", row.Row.Number);
            d.AddText(insert, "@status", row.Status == ImportRowStatus.Skipped ? "skipped" : "failed");
            d.AddText(insert, "@column", row.Column);
            d.AddText(insert, "@value", row.Value);
            d.AddText(insert, "@reason", row.Reason ?? "");
            await insert.ExecuteNonQueryAsync(ct);
        }
        return true;
    }
}
