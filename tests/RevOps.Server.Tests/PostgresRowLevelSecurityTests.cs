using Npgsql;

namespace RevOps.Server.Tests;

/// <summary>
/// The second wall on PostgreSQL: row-level security admits a tenant transaction (role
/// revops_tenant, revops.tenant set for the transaction) to that tenant's rows only, whatever the
/// SQL says. These statements deliberately leave out the tenant_id filter every store writes.
/// Runs when the suite runs on PostgreSQL (REVOPS_TEST_PG); on SQLite there is no such wall to test.
/// </summary>
public sealed class PostgresRowLevelSecurityTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static readonly string[] TenantTables = ["tenants", "api_keys", "contact", "account", "change_log", "audit_log"];

    [Fact]
    public async Task TenantRole_WithoutTenantSetting_SeesNoRowsOfAnyTable()
    {
        var database = Database();
        var acme = await server.CreateTenantAsync("Acme");
        await acme.CallOkAsync("create_account", new { Name = "Acme Corp" });
        await acme.CallOkAsync("create_contact", new { LastName = "Lovelace", Email = "ada@acme.test" });

        await using var connection = await OpenAsync(database);
        foreach (var table in TenantTables)
        {
            // The same count as the owner, who is not held by the policies: the rows are there.
            Assert.True(await CountAsync(connection, table, enterRole: false) > 0, $"{table} has rows");
            Assert.Equal(0, await CountAsync(connection, table, enterRole: true));
        }
    }

    [Fact]
    public async Task TenantRole_WithTenantSetting_SeesOnlyThatTenantsRows()
    {
        var database = Database();
        var acme = await server.CreateTenantAsync("Acme");
        var globex = await server.CreateTenantAsync("Globex");
        string acmeContact = (await acme.CallOkAsync("create_contact", new { LastName = "Lovelace" })).Str("Id");
        await globex.CallOkAsync("create_contact", new { LastName = "Hopper" });

        await using var connection = await OpenAsync(database);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await EnterAsync(connection, acme.TenantId);
        var ids = new List<string>();
        await using (var select = new NpgsqlCommand("SELECT Id FROM contact", connection))
        await using (var reader = await select.ExecuteReaderAsync(TestContext.Current.CancellationToken))
            while (await reader.ReadAsync(TestContext.Current.CancellationToken)) ids.Add(reader.GetString(0));
        Assert.Equal([acmeContact], ids);

        await using var update = new NpgsqlCommand("UPDATE contact SET Title = 'Touched'", connection);
        Assert.Equal(1, await update.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        await using var tenants = new NpgsqlCommand("SELECT name FROM tenants", connection);
        Assert.Equal("Acme", await tenants.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task TenantRole_WritingAnotherTenantsRow_IsRefused()
    {
        var database = Database();
        var acme = await server.CreateTenantAsync("Acme");
        var globex = await server.CreateTenantAsync("Globex");

        await using var connection = await OpenAsync(database);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await EnterAsync(connection, acme.TenantId);
        await using var insert = new NpgsqlCommand("""
            INSERT INTO change_log (tenant_id, seq, object, record_id, operation, changes, actor_id, channel, created_at)
            VALUES (@other, 1000, 'Contact', '003000000000001AAA', 'created', '{}', 'x', 'mcp', now())
            """, connection);
        insert.Parameters.AddWithValue("other", Guid.Parse(globex.TenantId));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Equal("new row violates row-level security policy for table \"change_log\"", refused.MessageText);
    }

    [Fact]
    public async Task SearchFunctions_ShowOnlyTheEnteredTenantsDocuments_AndNoneWithoutATenant()
    {
        var database = Database();
        var acme = await server.CreateTenantAsync("Acme");
        var globex = await server.CreateTenantAsync("Globex");
        string acmeContact = (await acme.CallOkAsync("create_contact", new { LastName = "Lovelace" })).Str("Id");
        await globex.CallOkAsync("create_contact", new { LastName = "Lovelace" });

        await using var connection = await OpenAsync(database);
        await using (var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await EnterAsync(connection, acme.TenantId);
            Assert.Equal([acmeContact], await IdsAsync(connection, "SELECT record_id FROM revops_search_doc_match(to_tsquery('simple', 'lovelace:*'))"));
            Assert.Equal([acmeContact], await IdsAsync(connection, "SELECT record_id FROM revops_search_doc_similar(ARRAY['lovelase'])"));
        }
        await using (var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken))
        {
            await using var role = new NpgsqlCommand("SET LOCAL ROLE revops_tenant", connection);
            await role.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            Assert.Empty(await IdsAsync(connection, "SELECT record_id FROM revops_search_doc_match(to_tsquery('simple', 'lovelace:*'))"));
            Assert.Empty(await IdsAsync(connection, "SELECT record_id FROM revops_search_doc_similar(ARRAY['lovelase'])"));
        }
    }

    /// <summary>
    /// Under the policies a search of the tenant's documents with @@ or &lt;% in its own WHERE reads every one of them (the
    /// operators are not LEAKPROOF, so the GIN index is not used); through 0040's functions it reads a few index pages.
    /// </summary>
    [Fact]
    public async Task Search_AsTheTenantRole_ReadsTheGinIndex_NotEveryDocumentOfTheTenant()
    {
        var database = Database();
        var acme = await server.CreateTenantAsync("Acme");
        // Enough documents that reading them all costs more than the index: on a few dozen pages PostgreSQL rightly reads them all.
        for (int chunk = 0; chunk < 2; chunk++)
            await acme.CallOkAsync("bulk_write", new
            {
                @object = "Contact", operation = "create",
                records = Enumerable.Range(0, 5000).Select(i => new { LastName = $"Person{chunk}x{i}", Email = $"p{chunk}x{i}@acme.test" }).ToArray(),
            });
        string lovelace = (await acme.CallOkAsync("create_contact", new { LastName = "Lovelace" })).Str("Id");

        await using var connection = await OpenAsync(database);
        // As autovacuum would: new entries wait in the GIN index's pending list, which a search reads whole, until a vacuum.
        await using (var analyze = new NpgsqlCommand("VACUUM ANALYZE search_doc", connection))
            await analyze.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await EnterAsync(connection, acme.TenantId);
        string match = $"'t{Guid.Parse(acme.TenantId):N}':D & 'lovelace':*ABC";
        long direct = await BuffersAsync(connection, "SELECT record_id FROM search_doc WHERE document @@ to_tsquery('simple', @q)", match);
        long indexed = await BuffersAsync(connection, "SELECT record_id FROM revops_search_doc_match(to_tsquery('simple', @q))", match);
        long similar = await BuffersAsync(connection, "SELECT record_id FROM revops_search_doc_similar(ARRAY[@q])", "lovelase");

        Assert.Equal([lovelace], await IdsAsync(connection, $"SELECT record_id FROM revops_search_doc_match(to_tsquery('simple', '{match.Replace("'", "''")}'))"));
        Assert.True(direct > 40, $"the policy's scan reads the tenant's 10,001 documents: {direct} buffers");
        Assert.True(indexed * 4 < direct, $"through the GIN index: {indexed} buffers against {direct}");
        Assert.True(similar * 4 < direct, $"through the trigram index: {similar} buffers against {direct}");
    }

    static async Task<List<string>> IdsAsync(NpgsqlConnection connection, string sql)
    {
        var ids = new List<string>();
        await using var select = new NpgsqlCommand(sql, connection);
        await using var reader = await select.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken)) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>Shared buffers (hit + read) the statement touched, from EXPLAIN (ANALYZE, BUFFERS); run twice, the second counted, so the function's planning is not.</summary>
    static async Task<long> BuffersAsync(NpgsqlConnection connection, string sql, string q)
    {
        long buffers = 0;
        for (int run = 0; run < 2; run++)
        {
            await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, connection);
            explain.Parameters.AddWithValue("q", q);
            using var plan = System.Text.Json.JsonDocument.Parse((string)(await explain.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
            var top = plan.RootElement[0].GetProperty("Plan");
            buffers = top.GetProperty("Shared Hit Blocks").GetInt64() + top.GetProperty("Shared Read Blocks").GetInt64();
        }
        return buffers;
    }

    string Database()
    {
        if (server.Database is null)
            Assert.Skip("Runs on PostgreSQL only: set REVOPS_TEST_PG (test.sh starts a throw-away cluster when PostgreSQL is installed).");
        return server.Database!;
    }

    static async Task<NpgsqlConnection> OpenAsync(string database)
    {
        var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    static async Task EnterAsync(NpgsqlConnection connection, string tenant)
    {
        await using var enter = new NpgsqlCommand("SELECT set_config('role', 'revops_tenant', true), set_config('revops.tenant', @tenant, true)", connection);
        enter.Parameters.AddWithValue("tenant", tenant);
        await enter.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    static async Task<long> CountAsync(NpgsqlConnection connection, string table, bool enterRole)
    {
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        if (enterRole)
        {
            await using var role = new NpgsqlCommand("SET LOCAL ROLE revops_tenant", connection);
            await role.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        // The table name comes from the fixed list above.
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
