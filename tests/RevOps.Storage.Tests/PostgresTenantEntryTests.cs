using Npgsql;
using RevOps.Domain.Metadata;

namespace RevOps.Storage.Tests;

/// <summary>
/// Migration 0042 on PostgreSQL: reads and writes enter their tenant with an INSERT of no rows into revops_tenant_entry
/// (set_config(…, true) in its one-time filter) instead of a CALL. The table never holds a row, the tenant role cannot add
/// one, and what the entry opens is the entered tenant's rows only.
/// </summary>
public sealed class PostgresTenantEntryTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string Entry = "INSERT INTO revops_tenant_entry SELECT WHERE set_config('revops.tenant', @tenant::text, true) IS NULL";

    // The trait puts it in test.sh's PostgreSQL pass of this project (--filter "Backend=PostgreSQL"); the SQLite pass leaves it out.
    [Fact, Trait("Backend", "PostgreSQL")]
    public async Task Entry_OpensOnlyTheEnteredTenantsRows_ForItsTransactionOnly_AndTheTableNeverHoldsARow()
    {
        if (BackendsAttribute.PostgresServer is null) Assert.Skip("PostgreSQL only: set REVOPS_TEST_PG.");
        await using var store = await backends.FreshAsync(BackendsAttribute.Postgres);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var other = await store.NewTenantAsync("Other", Ct);
        var mine = await acme.CreateAsync(StandardObjects.Contact, """{"LastName":"Lee"}""", Ct);
        var theirs = await other.CreateAsync(StandardObjects.Contact, """{"LastName":"Ng"}""", Ct);
        // The store's own read path enters through the table too.
        Assert.NotNull(await store.Backend.Records.GetAsync(acme.Id, StandardObjects.Contact, mine.Id, Ct));
        Assert.Null(await store.Backend.Records.GetAsync(acme.Id, StandardObjects.Contact, theirs.Id, Ct));

        await using var connection = new NpgsqlConnection(TenantRoleConnection(store));
        await connection.OpenAsync(Ct);
        // Entry and query sent together, outside BEGIN, as PostgresSession sends a read: one implicit transaction.
        await using (var batch = new NpgsqlBatch(connection))
        {
            var enter = new NpgsqlBatchCommand(Entry);
            enter.Parameters.AddWithValue("tenant", NpgsqlTypes.NpgsqlDbType.Uuid, acme.Id.Value);
            batch.BatchCommands.Add(enter);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT array_agg(Id ORDER BY Id) FROM contact"));
            // The entry answers no rows, so the first value read is the query's.
            Assert.Equal(new[] { mine.Id }, (string[])(await batch.ExecuteScalarAsync(Ct))!);
        }
        // The next statement is a transaction of its own: the setting is gone and no tenant's row is visible.
        await using (var after = new NpgsqlCommand("SELECT count(*) FROM contact", connection))
            Assert.Equal(0L, await after.ExecuteScalarAsync(Ct));
        // The tenant role may only add to the table (and is refused); it cannot read it.
        await using (var read = new NpgsqlCommand("SELECT count(*) FROM revops_tenant_entry", connection))
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => read.ExecuteScalarAsync(Ct))).SqlState);
        await using var insert = new NpgsqlCommand("INSERT INTO revops_tenant_entry DEFAULT VALUES", connection);
        var error = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync(Ct));
        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);

        // After every read and write above, the table is still empty (read as its owner).
        await using var owner = new NpgsqlConnection(store.PostgresConnectionString);
        await owner.OpenAsync(Ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM revops_tenant_entry", owner);
        Assert.Equal(0L, await count.ExecuteScalarAsync(Ct));
    }

    /// <summary>The test database as the tenant role from the connection's start, as the store's tenant pool connects.</summary>
    static string TenantRoleConnection(TestStore store) =>
        new NpgsqlConnectionStringBuilder(store.PostgresConnectionString) { Options = "-c role=revops_tenant" }.ConnectionString;
}
