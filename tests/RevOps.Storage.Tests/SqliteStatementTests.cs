using Microsoft.Data.Sqlite;
using RevOps.Domain.Metadata;
using RevOps.Storage.Sql;
using RevOps.Storage.Sqlite;

namespace RevOps.Storage.Tests;

/// <summary>
/// The writes' statements bound by position (<see cref="SqliteStatement"/>, through <see cref="SqliteSession.ExecuteEachAsync"/>)
/// store exactly what Microsoft.Data.Sqlite's commands store for the same values, answer the same errors, and leave
/// what they cannot bind to a command.
/// </summary>
public sealed class SqliteStatementTests : IDisposable
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly SqliteTestFile _file = new("statement");
    readonly SqliteSession _session;

    public SqliteStatementTests()
    {
        var connection = new SqliteConnection($"Data Source={_file.Path};Pooling=False");
        connection.Open();
        _session = new SqliteSession(connection);
        _session.Execute("CREATE TABLE t (k TEXT PRIMARY KEY, s TEXT, i INTEGER, r REAL, b INTEGER, d TEXT, dt TEXT, j TEXT, n TEXT, x BLOB);");
    }

    const string Insert = "INSERT INTO t (k, s, i, r, b, d, dt, j, n, x) VALUES (@k, @s, @i, @r, @b, @d, @dt, @j, @n, @x)";

    /// <summary>One row's values as the record writes bind them: each through the dialect, converted as for a command.</summary>
    static void BindRow(System.Data.Common.DbCommand command, string key, object? extra = null)
    {
        var d = SqliteDialect.Instance;
        d.AddText(command, "@k", key);
        d.AddText(command, "@s", "Ünïcödé \"quoted\", 'single' ✓");
        d.AddLong(command, "@i", long.MinValue + 1);
        d.Add(command, "@r", 1234567.8912345678, StorageKind.Real);
        d.Add(command, "@b", true, StorageKind.Boolean);
        d.Add(command, "@d", new DateOnly(2026, 12, 31), StorageKind.Date);
        d.AddTime(command, "@dt", new DateTime(2026, 12, 8, 1, 2, 3, 456, DateTimeKind.Utc));
        d.AddCustom(command, "@j", new SortedDictionary<string, System.Text.Json.JsonElement> { ["A__c"] = System.Text.Json.JsonDocument.Parse("1.5").RootElement });
        d.AddText(command, "@n", "");
        d.Add(command, "@x", extra, StorageKind.Text);
    }

    List<string> Rows()
    {
        using var read = _session.Connection.CreateCommand();
        read.CommandText = "SELECT k, quote(s), quote(i), quote(r), quote(b), quote(d), quote(dt), quote(j), quote(n), quote(x), typeof(x) FROM t ORDER BY k";
        using var reader = read.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)));
        return rows;
    }

    [Fact]
    public async Task BoundByPosition_StoresWhatACommandStores_ForEveryKindOfValue()
    {
        // "a" through a command as before, "b" through ExecuteEachAsync: byte for byte the same values.
        var command = _session.Command(Insert);
        BindRow(command, "a");
        command.ExecuteNonQuery();
        var first = await _session.ExecuteEachAsync(new SqlStatements(2, _ => Insert, (c, i) => BindRow(c, i == 0 ? "b" : "c")), Ct);

        Assert.Null(first);
        var rows = Rows();
        Assert.Equal(3, rows.Count);
        Assert.Equal(rows[0][1..], rows[1][1..]);
        Assert.Equal(rows[0][1..], rows[2][1..]);
        var a = rows[0].Split('|');
        Assert.Equal(["a", "'Ünïcödé \"quoted\", ''single'' ✓'", "-9223372036854775807"], a[..3]);
        Assert.Equal(1234567.8912345678, double.Parse(a[3], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["1", "'2026-12-31'", "'2026-12-08T01:02:03.456Z'", "'{\"A__c\":1.5}'", "''", "NULL", "null"], a[4..]);
    }

    [Fact]
    public async Task AValueItDoesNotBind_RunsThatStatementAsACommand_WithTheCommandsConversion()
    {
        // A decimal is not bound by position; Microsoft.Data.Sqlite binds it as text. The statements around it still run.
        await _session.ExecuteEachAsync(new SqlStatements(3, _ => Insert, (c, i) => BindRow(c, $"k{i}", i == 1 ? 12.50m : "plain")), Ct);
        var rows = Rows();
        Assert.Equal(["'plain'|text", "'12.5'|text", "'plain'|text"], rows.Select(r => string.Join("|", r.Split('|')[^2..])));
    }

    [Fact]
    public async Task FirstRowOfTheFirstStatementThatReturnsOne_IsAnswered()
    {
        var returned = await _session.ExecuteEachAsync(new SqlStatements(3,
            i => i == 1 ? "UPDATE t SET i = @i WHERE k = @k RETURNING i * 2" : Insert,
            (c, i) =>
            {
                if (i != 1) BindRow(c, $"r{i}");
                else
                {
                    SqliteDialect.Instance.AddLong(c, "@i", 21);
                    SqliteDialect.Instance.AddText(c, "@k", "r0");
                }
            }), Ct);
        Assert.Equal(42L, returned);
        Assert.Equal(2, Rows().Count);
    }

    [Fact]
    public async Task UniqueViolation_IsTheSqliteExceptionACommandThrows_AndTheStatementRunsAgainAfter()
    {
        await _session.ExecuteEachAsync(new SqlStatements(1, _ => Insert, (c, _) => BindRow(c, "dup")), Ct);
        var error = await Assert.ThrowsAsync<SqliteException>(() => _session.ExecuteEachAsync(new SqlStatements(1, _ => Insert, (c, _) => BindRow(c, "dup")), Ct));
        Assert.Equal(19, error.SqliteErrorCode);
        Assert.True(SqliteDialect.Instance.IsUniqueViolation(error));
        Assert.Contains("UNIQUE constraint failed: t.k", error.Message);

        await _session.ExecuteEachAsync(new SqlStatements(1, _ => Insert, (c, _) => BindRow(c, "next")), Ct);
        Assert.Equal(["dup", "next"], Rows().Select(r => r.Split('|')[0]));
    }

    [Fact]
    public async Task AParameterLeftUnbound_FailsTheStatement_NamingIt_AndWritesNothing()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _session.ExecuteEachAsync(new SqlStatements(1, _ => Insert, (c, _) =>
        {
            SqliteDialect.Instance.AddText(c, "@k", "half");
            SqliteDialect.Instance.AddText(c, "@s", "only two");
        }), Ct));
        Assert.Equal("Must add values for the following parameters: @i, @r, @b, @d, @dt, @j, @n, @x", error.Message);
        Assert.Empty(Rows());
    }

    public void Dispose()
    {
        _session.Dispose();
        _file.Dispose();
    }
}
