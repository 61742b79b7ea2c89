using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

// Inserts every contact row of a copy of a bench database again (new Ids) in one transaction, as the app's
// SQLite library and Microsoft.Data.Sqlite do it, and prints the process CPU per row after the first 4,000
// rows (JIT out of the way). Usage: insert-cost DB MODE [ROWS_PER_STATEMENT] [SETUP_SQL]
//   select: one INSERT … SELECT; rows: one prepared INSERT per row; multi N: N rows per INSERT (named
//   parameters); indexed N: N rows per INSERT bound by position (SQLitePCL.raw); json N: N rows per INSERT … SELECT FROM json_each(@rows). SETUP_SQL runs first (e.g. DROP TRIGGER …).
string db = args[0], mode = args[1];
int n = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1;
using var c = new SqliteConnection($"Data Source={db};Pooling=False");
c.Open();
Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;");
if (args.Length > 3 && args[3].Length > 0) Exec(args[3]);
var cols = new List<string>();
using (var k = c.CreateCommand())
{
    k.CommandText = "SELECT name FROM pragma_table_info('contact')";
    using var r = k.ExecuteReader();
    while (r.Read()) cols.Add(r.GetString(0));
}
var rows = new List<object[]>();
using (var k = c.CreateCommand())
{
    k.CommandText = "SELECT * FROM contact";
    using var r = k.ExecuteReader();
    while (r.Read())
    {
        var v = new object[r.FieldCount];
        r.GetValues(v);
        v[1] = "Z" + ((string)v[1])[1..];
        rows.Add(v);
    }
}
string colList = string.Join(",", cols);
var p = Process.GetCurrentProcess();
var t0 = p.TotalProcessorTime;
int measured = rows.Count;
using (var tx = c.BeginTransaction())
{
    if (mode == "select")
    {
        using var k = c.CreateCommand();
        k.Transaction = tx;
        k.CommandText = $"INSERT INTO contact ({colList}) SELECT {colList.Replace(",Id,", ",'Z'||substr(Id,2),", StringComparison.Ordinal)} FROM contact";
        k.ExecuteNonQuery();
    }
    else if (mode == "indexed")
    {
        // N rows per INSERT, prepared once through SQLitePCL.raw and bound by position: no search of the statement's names.
        var statements = new Dictionary<int, SQLitePCL.sqlite3_stmt>();
        for (int i = 0; i < rows.Count; i += n)
        {
            int m = Math.Min(n, rows.Count - i);
            if (!statements.TryGetValue(m, out var stmt))
            {
                string sql = $"INSERT INTO contact ({colList}) VALUES " + string.Join(",", Enumerable.Range(0, m).Select(r => "(" + string.Join(",", cols.Select(_ => "?")) + ")"));
                if (SQLitePCL.raw.sqlite3_prepare_v2(c.Handle, sql, out stmt) != 0) throw new InvalidOperationException(SQLitePCL.raw.sqlite3_errmsg(c.Handle).utf8_to_string());
                statements[m] = stmt;
            }
            int at = 1;
            for (int r = 0; r < m; r++)
                foreach (var v in rows[i + r])
                {
                    _ = v switch
                    {
                        string s => SQLitePCL.raw.sqlite3_bind_text(stmt, at, s),
                        long l => SQLitePCL.raw.sqlite3_bind_int64(stmt, at, l),
                        double d => SQLitePCL.raw.sqlite3_bind_double(stmt, at, d),
                        byte[] b => SQLitePCL.raw.sqlite3_bind_blob(stmt, at, b),
                        _ => SQLitePCL.raw.sqlite3_bind_null(stmt, at),
                    };
                    at++;
                }
            if (SQLitePCL.raw.sqlite3_step(stmt) != SQLitePCL.raw.SQLITE_DONE) throw new InvalidOperationException(SQLitePCL.raw.sqlite3_errmsg(c.Handle).utf8_to_string());
            SQLitePCL.raw.sqlite3_reset(stmt);
            if (i + m >= 4000 && i < 4000)
            {
                p.Refresh();
                t0 = p.TotalProcessorTime;
                measured = rows.Count - (i + m);
            }
        }
        foreach (var stmt in statements.Values) stmt.Dispose();
    }
    else
    {
        int per = mode == "rows" ? 1 : n;
        var commands = new Dictionary<int, SqliteCommand>();
        for (int i = 0; i < rows.Count; i += per)
        {
            int m = Math.Min(per, rows.Count - i);
            if (!commands.TryGetValue(m, out var k))
            {
                k = c.CreateCommand();
                k.Transaction = tx;
                k.CommandText = mode == "json"
                    ? $"INSERT INTO contact ({colList}) SELECT {string.Join(",", cols.Select((_, j) => $"value->>{j}"))} FROM json_each(@rows)"
                    : $"INSERT INTO contact ({colList}) VALUES " + string.Join(",", Enumerable.Range(0, m).Select(r => "(" + string.Join(",", cols.Select((_, j) => $"@r{r}p{j}")) + ")"));
                k.Prepare();
                commands[m] = k;
            }
            k.Parameters.Clear();
            if (mode == "json") k.Parameters.AddWithValue("@rows", Json(rows.Skip(i).Take(m)));
            else for (int r = 0; r < m; r++) for (int j = 0; j < cols.Count; j++) k.Parameters.AddWithValue($"@r{r}p{j}", rows[i + r][j]);
            k.ExecuteNonQuery();
            if (i + m >= 4000 && i < 4000)
            {
                p.Refresh();
                t0 = p.TotalProcessorTime;
                measured = rows.Count - (i + m);
            }
        }
    }
    tx.Commit();
}
p.Refresh();
Console.WriteLine($"{mode} n={n} {(p.TotalProcessorTime - t0).TotalMicroseconds / measured:F0} us/row ({measured} rows) sqlite {c.ServerVersion}");

void Exec(string sql)
{
    using var k = c.CreateCommand();
    k.CommandText = sql;
    k.ExecuteNonQuery();
}

static string Json(IEnumerable<object[]> rows)
{
    var buffer = new System.Buffers.ArrayBufferWriter<byte>();
    using (var w = new Utf8JsonWriter(buffer))
    {
        w.WriteStartArray();
        foreach (var row in rows)
        {
            w.WriteStartArray();
            foreach (var v in row)
            {
                switch (v)
                {
                    case string s: w.WriteStringValue(s); break;
                    case long l: w.WriteNumberValue(l); break;
                    case double d: w.WriteNumberValue(d); break;
                    default: w.WriteNullValue(); break;
                }
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }
    return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
}
