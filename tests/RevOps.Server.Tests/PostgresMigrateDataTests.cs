using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace RevOps.Server.Tests;

/// <summary>
/// `revops migrate-data`: a tenant built through a real `revops serve` on SQLite is moved into a fresh
/// PostgreSQL database, and a real server on PostgreSQL then serves it by the same Ids, key and change
/// sequence. Runs in test.sh's PostgreSQL pass (REVOPS_TEST_PG) and is left out of the SQLite pass.
/// </summary>
public sealed class PostgresMigrateDataTests : IAsyncLifetime
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "revops-move-" + Guid.NewGuid().ToString("N"));
    string Sqlite => Path.Combine(_root, "sqlite");
    string Postgres => Path.Combine(_root, "postgres");
    string? _target;

    static readonly Dictionary<string, string> PrivateWebhooks = new() { ["REVOPS_ALLOW_PRIVATE_WEBHOOKS"] = "1" };

    public async ValueTask InitializeAsync()
    {
        if (TestDatabase.Server is null)
            Assert.Skip("Runs on PostgreSQL only: set REVOPS_TEST_PG (test.sh starts a throw-away cluster when PostgreSQL is installed).");
        Directory.CreateDirectory(_root);
        // The target: a fresh database, which a server started on the Postgres directory uses.
        _target = await TestDatabase.CreateAsync(Postgres);
    }

    sealed record Source(string Tenant, string Key, string RevokedKey, string AccountId, string ContactId, JsonElement Contact,
        string DeletedId, string WebhookId, List<long> Seqs);

    /// <summary>A tenant with a custom field, records, an update, a deleted record, a second (revoked) key and a webhook, built over MCP and REST.</summary>
    async Task<Source> BuildSourceAsync()
    {
        await using var server = await ServeProcess.StartAsync(Sqlite, ServeProcess.FreePort(), PrivateWebhooks);
        var (tenant, key) = await server.CreateTenantAsync("Movers Inc", tier: "enterprise");
        await using (var mcp = await Mcp.ConnectAsync(new Uri(server.BaseUri, "mcp"), key))
        {
            var defined = await mcp.CallToolAsync("define_custom_field", Mcp.Arguments(new { @object = "Contact", api_name = "Tier__c", type = "Text", length = 20 }),
                cancellationToken: TestContext.Current.CancellationToken);
            Assert.True(defined.IsError != true, Mcp.Text(defined));
        }
        using var rest = new ServerRest(server.BaseUri, key);
        string account = await rest.CreateAsync("Account", new { Name = "Movers Inc" });
        string contact = await rest.CreateAsync("Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@movers.test", AccountId = account, Tier__c = "Gold" });
        var (patched, _) = await rest.SendAsync(HttpMethod.Patch, $"services/data/v60.0/sobjects/Contact/{contact}", new { Title = "CTO" });
        Assert.Equal(HttpStatusCode.NoContent, patched);
        string deleted = await rest.CreateAsync("Contact", new { LastName = "Gone", Email = "gone@movers.test" });
        var (removed, _) = await rest.SendAsync(HttpMethod.Delete, $"services/data/v60.0/sobjects/Contact/{deleted}");
        Assert.Equal(HttpStatusCode.NoContent, removed);
        var (keyStatus, second) = await rest.SendAsync(HttpMethod.Post, "api/keys", new { scope = "read" });
        Assert.True(keyStatus == HttpStatusCode.Created, $"{(int)keyStatus} {second}");
        var (revokeStatus, _) = await rest.SendAsync(HttpMethod.Delete, $"api/keys/{second.Str("id")}");
        Assert.True(revokeStatus is HttpStatusCode.OK or HttpStatusCode.NoContent, $"revoke: {(int)revokeStatus}");
        var (hookStatus, hook) = await rest.SendAsync(HttpMethod.Post, "api/webhooks", new { url = "http://127.0.0.1:9/hook", secret = "0123456789abcdef0123456789abcdef" });
        Assert.True(hookStatus == HttpStatusCode.Created, $"{(int)hookStatus} {hook}");
        var seqs = await rest.ChangeSeqsAsync(0);
        return new Source(tenant, key, second.Str("api_key"), account, contact, await rest.GetAsync("Contact", contact), deleted, hook.Str("id"), seqs);
        // The server stops here: the cut-over (docs/operations.md) moves a tenant whose writes have stopped.
    }

    [Fact]
    public async Task MigrateData_Tenant_PostgresServerServesSameIdsKeysAndChangeFeed()
    {
        var source = await BuildSourceAsync();

        var run = await Cli.RunAsync("migrate-data", "--tenant", source.Tenant, "--from-data", Sqlite, "--to-db", _target!);

        Assert.True(run.ExitCode == 0, run.StdErr + run.StdOut);
        Assert.Contains($"{source.Tenant}: moved 3 records and {source.Seqs.Count} changes in ", run.StdOut);
        Assert.Contains("every table's count matches", run.StdOut);
        Assert.DoesNotContain("MISMATCH", run.StdOut);
        Assert.Equal(SqliteCounts(source.Tenant), await PostgresCountsAsync(source.Tenant));

        await using var server = await ServeProcess.StartAsync(Postgres, ServeProcess.FreePort(), PrivateWebhooks);
        using var rest = new ServerRest(server.BaseUri, source.Key);
        var contact = await rest.GetAsync("Contact", source.ContactId);
        foreach (var field in new[] { "Id", "Email", "FirstName", "LastName", "Title", "AccountId", "Tier__c", "CreatedDate", "CreatedById", "LastModifiedDate", "SystemModstamp" })
            Assert.Equal(source.Contact.GetProperty(field).ToString(), contact.GetProperty(field).ToString());
        Assert.Equal("ada@movers.test", contact.Str("Email"));
        Assert.Equal("Movers Inc", (await rest.GetAsync("Account", source.AccountId)).Str("Name"));

        // The recycle bin came along: queryAll still finds the deleted contact.
        var (status, bin) = await rest.SendAsync(HttpMethod.Get, "services/data/v60.0/queryAll?q=" + Uri.EscapeDataString("SELECT Id, IsDeleted FROM Contact WHERE IsDeleted = true"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(source.DeletedId, Assert.Single(bin.GetProperty("records").EnumerateArray()).Str("Id"));

        // The change feed has the same sequences, and the next write continues after the last.
        Assert.Equal(source.Seqs, await rest.ChangeSeqsAsync(0));
        string next = await rest.CreateAsync("Contact", new { LastName = "After the move", Email = "after@movers.test" });
        Assert.Equal([source.Seqs[^1] + 1], await rest.ChangeSeqsAsync(source.Seqs[^1]));
        Assert.Equal("after@movers.test", (await rest.GetAsync("Contact", next)).Str("Email"));

        // Search finds moved records (its index is rebuilt from the records as they are written).
        await using (var mcp = await Mcp.ConnectAsync(new Uri(server.BaseUri, "mcp"), source.Key))
        {
            var hits = await mcp.CallToolAsync("search_crm", Mcp.Arguments(new { text = "Lovelace" }), cancellationToken: TestContext.Current.CancellationToken);
            Assert.Contains(source.ContactId, Mcp.Text(hits));
        }

        // The webhook and its position came along; the revoked key stays revoked.
        var (hooks, list) = await rest.SendAsync(HttpMethod.Get, "api/webhooks");
        Assert.Equal(HttpStatusCode.OK, hooks);
        Assert.Contains(source.WebhookId, list.ToString());
        using var revoked = new ServerRest(server.BaseUri, source.RevokedKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.SendAsync(HttpMethod.Get, $"services/data/v60.0/sobjects/Contact/{source.ContactId}")).Status);
    }

    [Fact]
    public async Task MigrateData_FromPostgresToAnotherPostgres_SameRecordsKeyAndCounts()
    {
        var source = await BuildSourceAsync();
        var first = await Cli.RunAsync("migrate-data", "--tenant", source.Tenant, "--from-data", Sqlite, "--to-db", _target!);
        Assert.True(first.ExitCode == 0, first.StdErr);
        string second = Path.Combine(_root, "postgres-2");
        string? secondDatabase = await TestDatabase.CreateAsync(second);
        try
        {
            var run = await Cli.RunAsync("migrate-data", "--tenant", source.Tenant, "--from-db", _target!, "--to-db", secondDatabase!);

            Assert.True(run.ExitCode == 0, run.StdErr + run.StdOut);
            Assert.Contains("every table's count matches", run.StdOut);
            var expected = await PostgresCountsAsync(source.Tenant, _target!);
            Assert.Equal(expected, await PostgresCountsAsync(source.Tenant, secondDatabase!));
            Assert.Equal(3, expected["contact"] + expected["account"]);
            await using var server = await ServeProcess.StartAsync(second, ServeProcess.FreePort(), PrivateWebhooks);
            using var rest = new ServerRest(server.BaseUri, source.Key);
            var contact = await rest.GetAsync("Contact", source.ContactId);
            foreach (var field in new[] { "Email", "Tier__c", "CreatedDate", "LastModifiedDate", "SystemModstamp" })
                Assert.Equal(source.Contact.GetProperty(field).ToString(), contact.GetProperty(field).ToString());
            Assert.Equal(source.Seqs, await rest.ChangeSeqsAsync(0));
        }
        finally
        {
            await TestDatabase.DropAsync(secondDatabase);
        }
    }

    [Fact]
    public async Task MigrateData_TenantAlreadyInTarget_RefusedUnlessReplace()
    {
        var source = await BuildSourceAsync();
        var first = await Cli.RunAsync("migrate-data", "--tenant", source.Tenant, "--from-data", Sqlite, "--to-db", _target!);
        Assert.True(first.ExitCode == 0, first.StdErr);
        var before = await PostgresCountsAsync(source.Tenant);

        var again = await Cli.RunAsync("migrate-data", "--tenant", source.Tenant, "--from-data", Sqlite, "--to-db", _target!);

        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"error: {source.Tenant}: tenant {source.Tenant} already exists in the target database; nothing was written. Pass --replace to overwrite it there with the source's copy.",
            again.StdErr.Trim());
        Assert.Equal(before, await PostgresCountsAsync(source.Tenant));

        // A write to the source after the first move, then --replace: the target holds the source as it is now.
        string added;
        await using (var server = await ServeProcess.StartAsync(Sqlite, ServeProcess.FreePort(), PrivateWebhooks))
        {
            using var rest = new ServerRest(server.BaseUri, source.Key);
            added = await rest.CreateAsync("Contact", new { LastName = "Late", Email = "late@movers.test" });
        }
        var replaced = await Cli.RunAsync("migrate-data", "--tenant", source.Tenant, "--from-data", Sqlite, "--to-db", _target!, "--replace");

        Assert.True(replaced.ExitCode == 0, replaced.StdErr);
        var after = await PostgresCountsAsync(source.Tenant);
        Assert.Equal(SqliteCounts(source.Tenant), after);
        Assert.Equal(before["contact"] + 1, after["contact"]);
        Assert.Equal(before["change_log"] + 1, after["change_log"]);
        await using var pg = await ServeProcess.StartAsync(Postgres, ServeProcess.FreePort(), PrivateWebhooks);
        using var served = new ServerRest(pg.BaseUri, source.Key);
        Assert.Equal("late@movers.test", (await served.GetAsync("Contact", added)).Str("Email"));
    }

    [Fact]
    public async Task MigrateData_BadValueMidway_NothingOfTheTenantWritten()
    {
        var source = await BuildSourceAsync();
        // A stored time PostgreSQL cannot take, in a table written after tenants, keys and accounts.
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(Sqlite, "revops.db")};Pooling=False"))
        {
            connection.Open();
            using var corrupt = connection.CreateCommand();
            corrupt.CommandText = "UPDATE change_log SET created_at = 'not a time' WHERE tenant_id = $t AND seq = 1";
            corrupt.Parameters.AddWithValue("$t", source.Tenant);
            Assert.Equal(1, corrupt.ExecuteNonQuery());
        }

        var run = await Cli.RunAsync("migrate-data", "--tenant", source.Tenant, "--from-data", Sqlite, "--to-db", _target!);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {source.Tenant}: change_log.created_at: 'not a time' is not a valid timestamp with time zone. Nothing of this tenant was written.", run.StdErr.Trim());
        Assert.All(await PostgresCountsAsync(source.Tenant), pair => Assert.Equal(0L, pair.Value));
    }

    [Fact]
    public async Task MigrateData_AllTenantsSkipExisting_MovesOnlyTheMissingOnes()
    {
        string a, b;
        await using (var server = await ServeProcess.StartAsync(Sqlite, ServeProcess.FreePort(), PrivateWebhooks))
        {
            string key;
            (a, key) = await server.CreateTenantAsync("Alpha");
            using (var rest = new ServerRest(server.BaseUri, key)) await rest.CreateAsync("Lead", new { LastName = "One", Company = "Alpha" });
            (b, key) = await server.CreateTenantAsync("Beta");
            using (var rest = new ServerRest(server.BaseUri, key)) await rest.CreateAsync("Lead", new { LastName = "Two", Company = "Beta" });
        }
        var first = await Cli.RunAsync("migrate-data", "--tenant", a, "--from-data", Sqlite, "--to-db", _target!);
        Assert.True(first.ExitCode == 0, first.StdErr);

        var all = await Cli.RunAsync("migrate-data", "--all-tenants", "--skip-existing", "--from-data", Sqlite, "--to-db", _target!);

        Assert.True(all.ExitCode == 0, all.StdErr);
        Assert.Contains($"{a}: already in the target, skipped (--skip-existing).", all.StdOut);
        Assert.Contains($"{b}: moved 1 records and 1 changes in ", all.StdOut);
        Assert.Equal(SqliteCounts(a), await PostgresCountsAsync(a));
        Assert.Equal(SqliteCounts(b), await PostgresCountsAsync(b));
    }

    static readonly string[] Tables = ["tenants", "api_keys", "custom_field_definitions", "account", "contact", "lead", "opportunity", "task", "event",
        "change_log", "idempotency_keys", "usage_daily", "usage_latency", "webhooks", "webhook_deliveries", "audit_log"];

    Dictionary<string, long> SqliteCounts(string tenant)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Sqlite, "revops.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        var counts = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            using var command = connection.CreateCommand();
            // Table names from the fixed list above.
            command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {(table == "tenants" ? "id" : "tenant_id")} = $t";
            command.Parameters.AddWithValue("$t", tenant);
            counts[table] = (long)command.ExecuteScalar()!;
        }
        return counts;
    }

    Task<Dictionary<string, long>> PostgresCountsAsync(string tenant) => PostgresCountsAsync(tenant, _target!);

    static async Task<Dictionary<string, long>> PostgresCountsAsync(string tenant, string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var counts = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM {table} WHERE {(table == "tenants" ? "id" : "tenant_id")} = @t", connection);
            command.Parameters.AddWithValue("t", Guid.Parse(tenant));
            counts[table] = (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        }
        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await TestDatabase.DropAsync(_target);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
