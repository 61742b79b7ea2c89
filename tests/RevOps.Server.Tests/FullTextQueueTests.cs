using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace RevOps.Server.Tests;

/// <summary>
/// SQLite indexes a transaction's new and changed search documents once, just before COMMIT (migrations 0039 and 0045,
/// SqliteFullTextQueue), taking changed and deleted documents' old terms out first.
/// Creates, updates, deletes, restores and an Account rename sent at once share the writer's transactions, so documents
/// queued and changed or deleted in the same transaction are exercised; afterwards both full-text indexes must match
/// search_doc exactly (FTS5's integrity check against its content table) and searches must find what is live, as written.
/// </summary>
public sealed class FullTextQueueTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task ConcurrentWritesInSharedTransactions_LeaveBothIndexesExact_AndSearchFindsTheLatestValues()
    {
        if (server.Database is not null) Assert.Skip("SQLite's full-text queue; PostgreSQL indexes search_doc with GIN in each statement.");
        var tenant = await server.CreateTenantAsync("Full-text queue");
        string ledger = (await tenant.CallOkAsync("create_account", new { Name = "Ledgerline Works" })).Str("Id");
        var existing = new List<string>();
        for (int i = 0; i < 12; i++)
            existing.Add((await tenant.CallOkAsync("create_contact", new { FirstName = "Standing", LastName = $"Oldname{i}", AccountId = ledger })).Str("Id"));

        var calls = new List<Task<JsonElement>>();
        for (int i = 0; i < 20; i++)
            calls.Add(tenant.CallOkAsync("create_contact", new { FirstName = "Queued", LastName = $"Quillfeather{i}", Email = $"quill{i}@queue.test", AccountId = ledger }));
        for (int i = 0; i < 6; i++) calls.Add(tenant.CallOkAsync("update_contact", new { Id = existing[i], LastName = $"Newname{i}" }));
        for (int i = 6; i < 10; i++) calls.Add(tenant.CallOkAsync("delete_record", new { Id = existing[i] }));
        calls.Add(tenant.CallOkAsync("update_record", new { Id = ledger, fields = new { Name = "Ledgerline Renamed" } }));
        calls.Add(tenant.CallOkAsync("bulk_write", new
        {
            @object = "Contact",
            operation = "create",
            records = Enumerable.Range(0, 30).Select(i => new { FirstName = "Gwendolyn", LastName = $"Featherstonehaugh{i}" }).ToArray(),
        }));
        await Task.WhenAll(calls);
        var created = calls.Take(20).Select(c => c.Result.Str("Id")).ToArray();

        // Queued documents changed in their own transaction: created, then renamed or deleted at once.
        string renamedAtOnce = (await tenant.CallOkAsync("create_contact", new { FirstName = "Short", LastName = "Livedname" })).Str("Id");
        await tenant.CallOkAsync("update_contact", new { Id = renamedAtOnce, LastName = "Settledname" });
        await tenant.CallOkAsync("restore_record", new { Id = existing[6] });

        using (var connection = Open())
        {
            Execute(connection, "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)");
            Execute(connection, "INSERT INTO fuzzy_trigram (fuzzy_trigram, rank) VALUES ('integrity-check', 1)");
            Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM fts_queue"));
            Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM fts_unindex"));
        }

        Assert.Equal([created[7]], Exact(await Search(tenant, "Quillfeather7")));
        Assert.Equal([created[7]], Exact(await Search(tenant, "quill7@queue.test")));
        Assert.Equal([existing[3]], Exact(await Search(tenant, "Newname3")));
        Assert.DoesNotContain(existing[3], Ids(await Search(tenant, "Oldname3")));
        Assert.DoesNotContain(existing[8], Ids(await Search(tenant, "Oldname8")));
        Assert.Equal([existing[6]], Exact(await Search(tenant, "Oldname6")));
        Assert.Equal([renamedAtOnce], Exact(await Search(tenant, "Settledname")));
        Assert.DoesNotContain(renamedAtOnce, Ids(await Search(tenant, "Livedname")));
        // The rename reached the contacts' company, queued or indexed: the Account, the 20 new contacts and the 9 live
        // ones from before (12, 4 deleted, 1 of them restored after the rename).
        Assert.Equal(1 + 20 + 9, Exact(await Search(tenant, "Ledgerline Renamed", 100)).Length);
        string gwendolyn = Assert.Single(Exact(await Search(tenant, "Featherstonehaugh12")));
        var typo = (await Search(tenant, "Featherstonhaugh12")).GetProperty("records").EnumerateArray().ToArray();
        Assert.Contains(typo, r => r.Str("Id") == gwendolyn && r.Str("match") == "fuzzy");

        // Thirty indexed documents changed in one transaction (migration 0045: their old terms leave at the flush), then one
        // of them changed again and another deleted.
        var byName = (await tenant.CallOkAsync("soql_query", new { query = "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'Featherstonehaugh%'" }))
            .GetProperty("records").EnumerateArray().ToDictionary(r => r.Str("LastName"), r => r.Str("Id"));
        var gwendolyns = Enumerable.Range(0, 30).Select(i => byName[$"Featherstonehaugh{i}"]).ToArray();
        await tenant.CallOkAsync("bulk_write", new
        {
            @object = "Contact",
            operation = "update",
            records = gwendolyns.Select((id, i) => new { Id = id, LastName = $"Fothergill{i}", Email = $"fother{i}@queue.test" }).ToArray(),
        });
        await tenant.CallOkAsync("update_contact", new { Id = gwendolyns[3], LastName = "Fothergill3b" });
        await tenant.CallOkAsync("delete_record", new { Id = gwendolyns[4] });
        using (var connection = Open())
        {
            Execute(connection, "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)");
            Execute(connection, "INSERT INTO fuzzy_trigram (fuzzy_trigram, rank) VALUES ('integrity-check', 1)");
            Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM fts_unindex"));
        }
        Assert.Equal([gwendolyns[12]], Exact(await Search(tenant, "Fothergill12")));
        Assert.Equal([gwendolyns[12]], Exact(await Search(tenant, "fother12@queue.test")));
        Assert.Empty(Exact(await Search(tenant, "Featherstonehaugh12")));
        Assert.Equal([gwendolyns[3]], Exact(await Search(tenant, "Fothergill3b")));
        Assert.Empty(Exact(await Search(tenant, "Featherstonehaugh3")));
        Assert.DoesNotContain(gwendolyns[4], Ids(await Search(tenant, "Fothergill4")));
        Assert.Contains((await Search(tenant, "Fothergil12")).GetProperty("records").EnumerateArray().ToArray(), r => r.Str("Id") == gwendolyns[12] && r.Str("match") == "fuzzy");
    }

    /// <summary>Hits that matched as written (the forgiving search adds near misses, marked "fuzzy").</summary>
    static string[] Exact(JsonElement found) => found.GetProperty("records").EnumerateArray()
        .Where(r => !(r.TryGetProperty("match", out var m) && m.GetString() == "fuzzy")).Select(r => r.Str("Id")).ToArray();

    [Fact]
    public async Task PlainSqlWrites_QueuedChangedAndDeletedInOneTransaction_AreIndexedByTheWritersNextCommit()
    {
        if (server.Database is not null) Assert.Skip("SQLite's full-text queue; PostgreSQL indexes search_doc with GIN in each statement.");
        var tenant = await server.CreateTenantAsync("Full-text queue, plain SQL");
        string kept = (await tenant.CallOkAsync("create_contact", new { FirstName = "Plain", LastName = "Keptrow" })).Str("Id");
        string dropped = (await tenant.CallOkAsync("create_contact", new { FirstName = "Plain", LastName = "Droprow" })).Str("Id");
        string edited = (await tenant.CallOkAsync("create_contact", new { FirstName = "Plain", LastName = "Editrow" })).Str("Id");

        using (var connection = Open())
        {
            Execute(connection, "BEGIN IMMEDIATE");
            // kept: its document replaced (queued), then changed while still queued.
            Execute(connection, $"DELETE FROM search_doc WHERE record_id = '{kept}'");
            Execute(connection, $"INSERT INTO search_doc (tenant_id, object, record_id, name) VALUES ('{tenant.TenantId}', 'Contact', '{kept}', 'Rawfirst Keptrow')");
            Execute(connection, $"UPDATE search_doc SET name = 'Rawfinal Keptrow' WHERE record_id = '{kept}'");
            // dropped: replaced (queued), then deleted while still queued.
            Execute(connection, $"DELETE FROM search_doc WHERE record_id = '{dropped}'");
            Execute(connection, $"INSERT INTO search_doc (tenant_id, object, record_id, name) VALUES ('{tenant.TenantId}', 'Contact', '{dropped}', 'Rawgone Droprow')");
            Execute(connection, $"DELETE FROM search_doc WHERE record_id = '{dropped}'");
            // edited: already indexed, changed in place (its old terms wait in fts_unindex, its new ones in the queue).
            Execute(connection, $"UPDATE search_doc SET name = 'Plain Editedrow' WHERE record_id = '{edited}'");
            Execute(connection, "COMMIT");
            // Queued: kept's new document and edited; to take out: the indexed documents of kept, dropped and edited.
            Assert.Equal(2L, Scalar(connection, "SELECT count(*) FROM fts_queue"));
            Assert.Equal(3L, Scalar(connection, "SELECT count(*) FROM fts_unindex"));
        }

        // Any commit of the writer indexes what is queued.
        await tenant.CallOkAsync("create_contact", new { FirstName = "Plain", LastName = "Trigger" });
        using (var connection = Open())
        {
            Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM fts_queue"));
            Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM fts_unindex"));
            Execute(connection, "INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)");
            Execute(connection, "INSERT INTO fuzzy_trigram (fuzzy_trigram, rank) VALUES ('integrity-check', 1)");
        }
        Assert.Equal([kept], Exact(await Search(tenant, "Rawfinal")));
        Assert.DoesNotContain(kept, Exact(await Search(tenant, "Rawfirst")));
        Assert.DoesNotContain(dropped, Ids(await Search(tenant, "Droprow")));
        Assert.DoesNotContain(dropped, Ids(await Search(tenant, "Rawgone")));
        Assert.Equal([edited], Exact(await Search(tenant, "Editedrow")));
        Assert.DoesNotContain(edited, Exact(await Search(tenant, "Editrow")));
    }

    static Task<JsonElement> Search(TestTenant tenant, string text, int limit = 25) => tenant.CallOkAsync("search_crm", new { text, limit });

    static string[] Ids(JsonElement found) => found.GetProperty("records").EnumerateArray().Select(r => r.Str("Id")).ToArray();

    SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "revops.db")};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 10000");
        return connection;
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
