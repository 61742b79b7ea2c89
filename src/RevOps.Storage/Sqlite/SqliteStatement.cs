using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// One statement of the writes' hot path (<see cref="SqliteSession.ExecuteEachAsync"/>: new records' rows, change-log rows,
/// the sequence), prepared once per connection and bound by position. Why: Microsoft.Data.Sqlite binds each parameter by
/// name, and SQLite finds a name by a linear search of the statement's names, so an 8-row INSERT of contacts (344 names)
/// made some 40,000 name comparisons per row; bound by position, 87 → 55 µs of CPU per contact row (bench/insert-cost,
/// <c>multi 8</c> against <c>indexed 8</c>). Names are looked up here once per statement, in a dictionary.
/// The dialect binds to it as to a <see cref="SqliteCommand"/> (<see cref="SqliteDialect"/>), with the same values; a value of
/// another type than those bound here makes it <see cref="Unsupported"/>, and the session runs that statement as a command.
/// </summary>
internal sealed class SqliteStatement : DbCommand
{
    readonly sqlite3 _db;
    readonly sqlite3_stmt _statement;
    readonly Dictionary<string, int> _positions;
    readonly bool[] _bound;
    int _boundCount;

    SqliteStatement(sqlite3 db, sqlite3_stmt statement, string sql)
    {
        _db = db;
        _statement = statement;
        CommandText = sql;
        int count = raw.sqlite3_bind_parameter_count(statement);
        _positions = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (int i = 1; i <= count; i++)
            if (raw.sqlite3_bind_parameter_name(statement, i).utf8_to_string() is { } name) _positions.TryAdd(name, i);
        _bound = new bool[count + 1];
    }

    /// <summary>The statement prepared on the connection; null when the text is more than one statement or names no parameter by name (a command runs it).</summary>
    public static SqliteStatement? Prepare(SqliteConnection connection, string sql)
    {
        var db = connection.Handle!;
        int rc = raw.sqlite3_prepare_v2(db, sql, out var statement, out string tail);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }
        if (statement is null || !string.IsNullOrWhiteSpace(tail) || raw.sqlite3_bind_parameter_count(statement) == 0)
        {
            statement?.Dispose();
            return null;
        }
        var prepared = new SqliteStatement(db, statement, sql);
        // "?" parameters have no name: only a command can bind them.
        if (prepared._positions.Count != raw.sqlite3_bind_parameter_count(statement))
        {
            prepared.Dispose();
            return null;
        }
        return prepared;
    }

    /// <summary>A value was given that this class does not bind (see <see cref="Bind"/>): run the statement as a command instead.</summary>
    public bool Unsupported { get; private set; }

    /// <summary>
    /// Binds <paramref name="value"/> (already converted by <see cref="SqliteValues.ToColumn"/> or the dialect) to the parameter
    /// named <paramref name="name"/>, as Microsoft.Data.Sqlite would: a name the statement lacks is ignored.
    /// </summary>
    public void Bind(string name, object value)
    {
        if (Unsupported || !_positions.TryGetValue(name, out int position)) return;
        int rc = value switch
        {
            DBNull => raw.sqlite3_bind_null(_statement, position),
            string text => raw.sqlite3_bind_text(_statement, position, text),
            long number => raw.sqlite3_bind_int64(_statement, position, number),
            int number => raw.sqlite3_bind_int64(_statement, position, number),
            bool flag => raw.sqlite3_bind_int64(_statement, position, flag ? 1 : 0),
            double real when !double.IsNaN(real) => raw.sqlite3_bind_double(_statement, position, real),
            byte[] { Length: > 0 } bytes => raw.sqlite3_bind_blob(_statement, position, bytes),
            _ => -1,
        };
        if (rc == -1)
        {
            Unsupported = true;
            return;
        }
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
        if (!_bound[position])
        {
            _bound[position] = true;
            _boundCount++;
        }
    }

    /// <summary>Runs the bound statement to its end; returns the first column of its first row (null: no row), as ExecuteScalar would.</summary>
    public object? Run()
    {
        try
        {
            if (_boundCount != _positions.Count)
                throw new InvalidOperationException("Must add values for the following parameters: " + string.Join(", ", _positions.Where(p => !_bound[p.Value]).Select(p => p.Key)));
            object? first = null;
            int rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_ROW) first = Column0();
            while (rc == raw.SQLITE_ROW) rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
            return first;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Ready for the next run: no row in progress, no parameter counted as bound.</summary>
    public void Reset()
    {
        raw.sqlite3_reset(_statement);
        Array.Clear(_bound);
        _boundCount = 0;
        Unsupported = false;
    }

    object Column0() => raw.sqlite3_column_type(_statement, 0) switch
    {
        raw.SQLITE_INTEGER => raw.sqlite3_column_int64(_statement, 0),
        raw.SQLITE_FLOAT => raw.sqlite3_column_double(_statement, 0),
        raw.SQLITE_TEXT => raw.sqlite3_column_text(_statement, 0).utf8_to_string(),
        raw.SQLITE_BLOB => raw.sqlite3_column_blob(_statement, 0).ToArray(),
        _ => DBNull.Value,
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing) _statement.Dispose();
        base.Dispose(disposing);
    }

    // What a DbCommand must have; the session runs this statement through Run, never through these.
    [AllowNull]
    public override string CommandText { get; set; } = "";
    public override int CommandTimeout { get; set; }
    public override CommandType CommandType { get; set; } = CommandType.Text;
    public override UpdateRowSource UpdatedRowSource { get; set; }
    protected override DbConnection? DbConnection { get; set; }
    protected override DbParameterCollection DbParameterCollection => throw new NotSupportedException("Bind through the dialect.");
    protected override DbTransaction? DbTransaction { get; set; }
    public override bool DesignTimeVisible { get; set; }
    public override void Cancel() { }
    protected override DbParameter CreateDbParameter() => throw new NotSupportedException("Bind through the dialect.");
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => throw new NotSupportedException("Run it through SqliteSession.ExecuteEachAsync.");
    public override int ExecuteNonQuery() => throw new NotSupportedException("Run it through SqliteSession.ExecuteEachAsync.");
    public override object? ExecuteScalar() => throw new NotSupportedException("Run it through SqliteSession.ExecuteEachAsync.");
    public override void Prepare() { }
}
