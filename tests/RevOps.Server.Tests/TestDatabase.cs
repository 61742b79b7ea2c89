using System.Collections.Concurrent;
using Npgsql;

namespace RevOps.Server.Tests;

/// <summary>
/// The backend switch of the test suite. Without REVOPS_TEST_PG every test server runs on a SQLite
/// file in its data directory. With REVOPS_TEST_PG (a connection string to a PostgreSQL server whose
/// user may create databases; tests/postgres/cluster.sh starts a throw-away one) each test server gets
/// a database of its own, created fresh and dropped afterwards, and runs with --db on it.
/// </summary>
public static class TestDatabase
{
    /// <summary>The PostgreSQL server the tests may use, or null.</summary>
    public static string? Server => Environment.GetEnvironmentVariable("REVOPS_TEST_PG") is { Length: > 0 } cs ? cs : null;

    public static bool IsPostgres => Server is not null;

    // Which data directory's server runs on which database, so a CLI run given that directory
    // (Cli.RunAsync(…, "--data", dir)) works on the same data, as an operator's would.
    static readonly ConcurrentDictionary<string, string> ByDataDirectory = new(StringComparer.Ordinal);

    /// <summary>A new empty database for the server whose data directory is <paramref name="dataDirectory"/>; null on SQLite.</summary>
    public static async Task<string?> CreateAsync(string dataDirectory)
    {
        if (Server is not { } server) return null;
        string name = "revops_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            // The name is generated above (letters and digits), never input.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        string database = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        ByDataDirectory[dataDirectory] = database;
        return database;
    }

    /// <summary>The database of the server using <paramref name="dataDirectory"/>, if it runs on PostgreSQL.</summary>
    public static string? ForDataDirectory(string dataDirectory) => ByDataDirectory.GetValueOrDefault(dataDirectory);

    public static async Task DropAsync(string? database)
    {
        if (database is null || Server is not { } server) return;
        string name = new NpgsqlConnectionStringBuilder(database).Database!;
        foreach (var (directory, value) in ByDataDirectory)
            if (value == database) ByDataDirectory.TryRemove(directory, out _);
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
