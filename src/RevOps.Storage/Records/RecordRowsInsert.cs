using System.Data.Common;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Records;

/// <summary>
/// New records of a commit written as multi-row INSERTs: consecutive rows of one object share a statement.
/// Why: on SQLite each statement that fires the search triggers runs under a statement savepoint, and the two FTS5
/// indexes cost about 165 µs per statement against about 25 per row when rows share one; one statement for up to
/// <see cref="MaxRows"/> rows pays that once (bench/results/2026-12-06-import-speed-3.md).
/// A failing row fails its statement, and the caller's transaction with it, as a single-row INSERT would.
/// </summary>
internal static class RecordRowsInsert
{
    /// <summary>Rows per statement. Chosen when Microsoft.Data.Sqlite found each bound name by a linear search of the statement's
    /// names, so binding grew with the square of the rows (8 rows 136 µs of CPU per contact row, 16 rows 151, 1 row 178). SQLite
    /// now binds these by position (<see cref="Sqlite.SqliteStatement"/>): 8 rows 55–57 µs, 32 rows 52–54 (bench/insert-cost),
    /// too little to change what PostgreSQL also runs.</summary>
    public const int MaxRows = 8;

    /// <summary>Bound names per row, made once: index [row][parameter], parameter 0..2 custom_fields, deleted_at, deleted_with, then the fields.</summary>
    static readonly string[][] Names = Enumerable.Range(0, MaxRows)
        .Select(r => new[] { $"@r{r}c", $"@r{r}da", $"@r{r}dw" }.Concat(Enumerable.Range(0, RecordSql.FieldParameters.Length).Select(i => $"@r{r}f{i}")).ToArray())
        .ToArray();

    /// <summary>The rows' statements, one per run of up to <see cref="MaxRows"/> rows of one object, for
    /// <see cref="SqlSession.ExecuteEachAsync"/> (PostgreSQL sends them together, SQLite runs them one by one).</summary>
    public static SqlStatements Statements(SqlSession session, Func<RecordWrite, RecordSql> statements, TenantId tenant, IReadOnlyList<RecordWrite> writes)
    {
        var runs = new List<(RecordSql Sql, int Start, int Count)>();
        for (int start = 0; start < writes.Count;)
        {
            var sql = statements(writes[start]);
            int end = start + 1;
            while (end < writes.Count && end - start < MaxRows && ReferenceEquals(statements(writes[end]), sql)) end++;
            runs.Add((sql, start, end - start));
            start = end;
        }
        return new SqlStatements(runs.Count,
            r => runs[r].Count == 1 ? runs[r].Sql.Insert : runs[r].Sql.InsertRows(runs[r].Count),
            (command, r) =>
            {
                var (_, start, count) = runs[r];
                if (count == 1) { RecordRowWrite.Bind(session.Dialect, command, tenant, writes[start].Record); return; }
                session.Dialect.AddTenant(command, tenant);
                for (int i = 0; i < count; i++) Bind(session.Dialect, command, Names[i], writes[start + i].Record);
            });
    }

    /// <summary>The VALUES rows of <see cref="RecordSql.InsertRows"/>: row r's values are named as <see cref="Names"/>[r].</summary>
    public static string Values(int row, int fields, string nameValue) =>
        $"(@tenant, {nameValue}1, {Names[row][0]}, {Names[row][1]}, {Names[row][2]}, {string.Join(", ", Names[row].Skip(3).Take(fields))})";

    static void Bind(SqlDialect d, DbCommand command, string[] names, Record record)
    {
        d.AddCustom(command, names[0], record.Custom);
        d.AddTime(command, names[1], record.DeletedAt);
        d.AddText(command, names[2], record.DeletedWith);
        var fields = record.Object.Fields;
        for (int i = 0; i < record.Values.Length; i++) d.Add(command, names[3 + i], record.Values[i], fields[i].Storage);
    }
}
