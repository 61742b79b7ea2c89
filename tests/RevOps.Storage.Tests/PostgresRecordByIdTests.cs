using Npgsql;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;

namespace RevOps.Storage.Tests;

/// <summary>
/// Migration 0045 on PostgreSQL: a record by Id is read through its table's PL/pgSQL function (revops_&lt;table&gt;_by_id),
/// whose plan each connection keeps. Every record table has one, the store reads through it (custom objects still told
/// apart by object_name), and row-level security holds it to the entered tenant whatever tenant it is asked for.
/// </summary>
public sealed class PostgresRecordByIdTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The trait puts it in test.sh's PostgreSQL pass of this project (--filter "Backend=PostgreSQL"); the SQLite pass leaves it out.
    [Fact, Trait("Backend", "PostgreSQL")]
    public async Task GetById_GoesThroughTheTablesFunction_OnlyInTheEnteredTenant()
    {
        if (BackendsAttribute.PostgresServer is null) Assert.Skip("PostgreSQL only: set REVOPS_TEST_PG.");
        await using var store = await backends.FreshAsync(BackendsAttribute.Postgres);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var other = await store.NewTenantAsync("Other", Ct);

        // Every table a record lives in has its function, and the statement the store runs for a get names it.
        var tables = StandardObjects.All.Select(o => o.Table).Append(CustomObjectMetadata.Table).ToArray();
        await using var owner = new NpgsqlConnection(store.PostgresConnectionString);
        await owner.OpenAsync(Ct);
        foreach (string table in tables)
        {
            await using var exists = new NpgsqlCommand("SELECT to_regprocedure(@name) IS NOT NULL", owner);
            exists.Parameters.AddWithValue("name", $"revops_{table}_by_id(uuid, text)");
            Assert.True((bool)(await exists.ExecuteScalarAsync(Ct))!, $"no function for {table}");
            Assert.StartsWith("SELECT row_version, ", store.Backend.Database.Dialect.SelectById(table, "row_version, Id", ""), StringComparison.Ordinal);
            Assert.Contains($"FROM revops_{table}_by_id(@tenant, @id)", store.Backend.Database.Dialect.SelectById(table, "row_version, Id", ""), StringComparison.Ordinal);
        }

        // Through the store: every value comes back, another tenant's Id reads as missing.
        var mine = await acme.CreateAsync(StandardObjects.Contact, """{"FirstName":"Ann","LastName":"Lee","Email":"ann@example.com"}""", Ct);
        var theirs = await other.CreateAsync(StandardObjects.Contact, """{"LastName":"Ng"}""", Ct);
        var read = await store.Backend.Records.GetAsync(acme.Id, StandardObjects.Contact, mine.Id, Ct);
        Assert.NotNull(read);
        Assert.Equal(1, read.Version);
        Assert.Equal("Ann", read["FirstName"]);
        Assert.Equal("ann@example.com", read["Email"]);
        Assert.Null(await store.Backend.Records.GetAsync(acme.Id, StandardObjects.Contact, theirs.Id, Ct));
        Assert.Null(await store.Backend.Records.GetAsync(other.Id, StandardObjects.Contact, mine.Id, Ct));

        // Custom objects share one table: a record is found as its own object only.
        Assert.True((await store.Schemas.DefineObjectAsync(acme.Caller, new CustomObjectSpec("Invoice__c"), Ct)).IsOk);
        Assert.True((await store.Schemas.DefineObjectAsync(acme.Caller, new CustomObjectSpec("Project__c"), Ct)).IsOk);
        var schema = await store.Schemas.GetAsync(acme.Id, Ct);
        Assert.True(schema.TryGetObject("Invoice__c", out var invoice));
        Assert.True(schema.TryGetObject("Project__c", out var project));
        var bill = await acme.CreateAsync(invoice, """{"Name":"INV-1"}""", Ct);
        Assert.Equal("INV-1", (await store.Backend.Records.GetAsync(acme.Id, invoice, bill.Id, Ct))?["Name"]);
        Assert.Null(await store.Backend.Records.GetAsync(acme.Id, project, bill.Id, Ct));

        // Called directly as the tenant role with Acme entered: asked for Other's record, the policy shows nothing.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(store.PostgresConnectionString) { Options = "-c role=revops_tenant" }.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using (var enter = new NpgsqlCommand("SELECT set_config('revops.tenant', @tenant, true)", connection, transaction))
        {
            enter.Parameters.AddWithValue("tenant", acme.Id.ToString());
            await enter.ExecuteNonQueryAsync(Ct);
        }
        await using (var across = new NpgsqlCommand("SELECT count(*) FROM revops_contact_by_id(@tenant::uuid, @id)", connection, transaction))
        {
            across.Parameters.AddWithValue("tenant", other.Id.ToString());
            across.Parameters.AddWithValue("id", theirs.Id);
            Assert.Equal(0L, await across.ExecuteScalarAsync(Ct));
        }
        await using var own = new NpgsqlCommand("SELECT lastname FROM revops_contact_by_id(@tenant::uuid, @id)", connection, transaction);
        own.Parameters.AddWithValue("tenant", acme.Id.ToString());
        own.Parameters.AddWithValue("id", mine.Id);
        Assert.Equal("Lee", await own.ExecuteScalarAsync(Ct));
    }
}
