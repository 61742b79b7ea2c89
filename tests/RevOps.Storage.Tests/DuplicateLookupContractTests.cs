using Npgsql;
using RevOps.Domain.Duplicates;
using RevOps.Domain.Metadata;

namespace RevOps.Storage.Tests;

/// <summary>
/// The duplicate look-up (IDuplicateStore.FindAsync) finds a record by each kind of key however the value is
/// written, only in its own tenant; on PostgreSQL each key is an index seek for the tenant role, which
/// row-level security allows only for leakproof conditions (migration 0034).
/// </summary>
public sealed class DuplicateLookupContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Backends]
    public async Task Find_ByEachKey_MatchesNormalisedValues_OnlyInItsTenant(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var account = await acme.CreateAsync(StandardObjects.Account, """{"Name":"Globex Corp","Website":"https://www.Globex.com/about"}""", Ct);
        var contact = await acme.CreateAsync(StandardObjects.Contact,
            """{"FirstName":"Ann","LastName":"Lee","Email":"Ann.Lee@Example.COM","Phone":"+1 (415) 555-0100 x12","MobilePhone":"415.555.0199"}""", Ct);
        var other = await store.NewTenantAsync("Other", Ct);
        var duplicates = store.Backend.Duplicates;

        Assert.Equal(contact.Id, Assert.Single(await duplicates.FindAsync(acme.Id, DuplicateKey.Email, ["ann.lee@example.com"], 10, Ct)).Id);
        Assert.Equal(contact.Id, Assert.Single(await duplicates.FindAsync(acme.Id, DuplicateKey.Name, ["ann lee"], 10, Ct)).Id);
        Assert.Equal(contact.Id, Assert.Single(await duplicates.FindAsync(acme.Id, DuplicateKey.Phone, ["4155550100"], 10, Ct)).Id);
        Assert.Equal(contact.Id, Assert.Single(await duplicates.FindAsync(acme.Id, DuplicateKey.Phone, ["4155550199"], 10, Ct)).Id);
        Assert.Equal(account.Id, Assert.Single(await duplicates.FindAsync(acme.Id, DuplicateKey.Website, ["globex.com"], 10, Ct)).Id);
        Assert.Empty(await duplicates.FindAsync(acme.Id, DuplicateKey.Email, ["ann.lee@example.org"], 10, Ct));
        Assert.Empty(await duplicates.FindAsync(other.Id, DuplicateKey.Email, ["ann.lee@example.com"], 10, Ct));
        Assert.Empty(await duplicates.FindAsync(other.Id, DuplicateKey.Website, ["globex.com"], 10, Ct));

        if (kind != BackendsAttribute.Postgres) return;
        foreach (var (column, index) in new[]
                 {
                     ("email_key", "ix_search_doc_email_key"), ("name_key", "ix_search_doc_name_key"), ("phone_key", "ix_search_doc_phone_key"),
                     ("mobile_key", "ix_search_doc_mobile_key"), ("web_key", "ix_search_doc_web_key"),
                 })
        {
            string plan = await PlanAsTenantAsync(store, acme.Id.ToString(), column);
            Assert.Contains(index, plan);
            Assert.Contains($"{column} = ANY", plan.Split('\n').Single(l => l.Contains("Index Cond", StringComparison.Ordinal)));
        }
    }

    /// <summary>
    /// Several values at once, a phone found in either of a record's numbers but each record once, and the limit; on
    /// PostgreSQL the look-up is migration 0044's function, which row-level security holds to the entered tenant whatever
    /// tenant it is asked for.
    /// </summary>
    [Theory, Backends]
    public async Task Find_SeveralValues_EachRecordOnce_AtMostTheLimit(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var ann = await acme.CreateAsync(StandardObjects.Contact,
            """{"FirstName":"Ann","LastName":"Lee","Email":"ann@example.com","Phone":"415 555 0100","MobilePhone":"415 555 0199"}""", Ct);
        var bob = await acme.CreateAsync(StandardObjects.Contact, """{"FirstName":"Bob","LastName":"Ng","Email":"bob@example.com","Phone":"+1 415 555 0199"}""", Ct);
        var globex = await acme.CreateAsync(StandardObjects.Account, """{"Name":"Globex","Website":"globex.com"}""", Ct);
        var initech = await acme.CreateAsync(StandardObjects.Account, """{"Name":"Initech","Website":"https://initech.com"}""", Ct);
        var other = await store.NewTenantAsync("Other", Ct);
        await other.CreateAsync(StandardObjects.Contact, """{"LastName":"Lee","Email":"ann@example.com","Phone":"415 555 0100"}""", Ct);
        var duplicates = store.Backend.Duplicates;
        static string[] Ids(IReadOnlyList<DuplicateCandidate> found) => found.Select(c => c.Id).Order(StringComparer.Ordinal).ToArray();

        static string[] Sorted(params string[] ids) => ids.Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(Sorted(ann.Id, bob.Id), Ids(await duplicates.FindAsync(acme.Id, DuplicateKey.Email, ["ann@example.com", "bob@example.com", "eve@example.com"], 10, Ct)));
        Assert.Equal(Sorted(ann.Id, bob.Id), Ids(await duplicates.FindAsync(acme.Id, DuplicateKey.Phone, ["4155550199"], 10, Ct)));
        Assert.Equal(Sorted(ann.Id, bob.Id), Ids(await duplicates.FindAsync(acme.Id, DuplicateKey.Phone, ["4155550100", "4155550199"], 10, Ct)));
        Assert.Equal(Sorted(ann.Id, bob.Id), Ids(await duplicates.FindAsync(acme.Id, DuplicateKey.Name, ["ann lee", "bob ng"], 10, Ct)));
        Assert.Equal(Sorted(globex.Id, initech.Id), Ids(await duplicates.FindAsync(acme.Id, DuplicateKey.Website, ["globex.com", "initech.com"], 10, Ct)));
        Assert.Single(await duplicates.FindAsync(acme.Id, DuplicateKey.Email, ["ann@example.com", "bob@example.com"], 1, Ct));
        Assert.Single(await duplicates.FindAsync(acme.Id, DuplicateKey.Phone, ["4155550100", "4155550199"], 1, Ct));

        if (kind != BackendsAttribute.Postgres) return;
        await using var connection = new NpgsqlConnection(store.PostgresConnectionString);
        await connection.OpenAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using (var enter = new NpgsqlCommand("SELECT set_config('role', 'revops_tenant', true), set_config('revops.tenant', @tenant, true)", connection, transaction))
        {
            enter.Parameters.AddWithValue("tenant", acme.Id.ToString());
            await enter.ExecuteNonQueryAsync(Ct);
        }
        // Asked for the other tenant while Acme is entered: the policy shows none of its rows.
        await using (var across = new NpgsqlCommand("SELECT count(*) FROM revops_duplicate_candidates(@tenant::uuid, 'email', ARRAY['ann@example.com'], 10)", connection, transaction))
        {
            across.Parameters.AddWithValue("tenant", other.Id.ToString());
            Assert.Equal(0L, await across.ExecuteScalarAsync(Ct));
        }
        await using (var own = new NpgsqlCommand("SELECT record_id FROM revops_duplicate_candidates(@tenant::uuid, 'email', ARRAY['ann@example.com'], 10)", connection, transaction))
        {
            own.Parameters.AddWithValue("tenant", acme.Id.ToString());
            Assert.Equal(ann.Id, await own.ExecuteScalarAsync(Ct));
        }
        await using var unknown = new NpgsqlCommand("SELECT count(*) FROM revops_duplicate_candidates(@tenant::uuid, 'fax', ARRAY['1'], 10)", connection, transaction);
        unknown.Parameters.AddWithValue("tenant", acme.Id.ToString());
        Assert.Contains("unknown key fax", (await Assert.ThrowsAsync<PostgresException>(() => unknown.ExecuteScalarAsync(Ct))).MessageText, StringComparison.Ordinal);
    }

    /// <summary>
    /// Migration 0041: the key indexes hold an entry only for a record that has the key. A Contact without phone, mobile,
    /// Account or website and an Account without e-mail write nothing into those indexes; the look-ups still find the rest.
    /// </summary>
    [Theory, Backends]
    public async Task KeyIndexes_HoldOnlyRecordsThatHaveTheKey(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var account = await acme.CreateAsync(StandardObjects.Account, """{"Name":"Globex Corp","Website":"globex.com"}""", Ct);
        var bare = await acme.CreateAsync(StandardObjects.Contact, """{"LastName":"Bare","Email":"bare@example.com"}""", Ct);
        var full = await acme.CreateAsync(StandardObjects.Contact,
            """{"LastName":"Full","Email":"full@example.com","Phone":"415 555 0100","MobilePhone":"415 555 0199","AccountId":"ACCOUNT"}""".Replace("ACCOUNT", account.Id, StringComparison.Ordinal), Ct);
        var duplicates = store.Backend.Duplicates;
        Assert.Equal(full.Id, Assert.Single(await duplicates.FindAsync(acme.Id, DuplicateKey.Phone, ["4155550199"], 10, Ct)).Id);
        Assert.Equal(bare.Id, Assert.Single(await duplicates.FindAsync(acme.Id, DuplicateKey.Email, ["bare@example.com"], 10, Ct)).Id);
        Assert.Equal(account.Id, Assert.Single(await duplicates.FindAsync(acme.Id, DuplicateKey.Website, ["globex.com"], 10, Ct)).Id);

        // Each index, its condition as each engine spells it, and the entries it must hold (this database has one tenant with records).
        var expected = new (string Index, string Sqlite, string Postgres, long Entries)[]
        {
            ("ix_search_doc_email_key", "lower(email) IS NOT NULL", "email_key IS NOT NULL", 2),
            ("ix_search_doc_phone_key", "substr(phone_digits, -10) IS NOT NULL", "phone_key IS NOT NULL", 1),
            ("ix_search_doc_mobile_key", "substr(mobile_digits, -10) IS NOT NULL", "mobile_key IS NOT NULL", 1),
            ("ix_search_doc_web_key", "web_host IS NOT NULL", "web_key IS NOT NULL", 1),
            ("ix_contact_phone", "Phone IS NOT NULL", "phone IS NOT NULL", 1),
            ("ix_contact_mobile", "MobilePhone IS NOT NULL", "mobilephone IS NOT NULL", 1),
            ("ix_contact_account", "AccountId IS NOT NULL", "accountid IS NOT NULL", 1),
        };
        if (kind == BackendsAttribute.Sqlite)
        {
            await using var file = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store.Backend.Location};Mode=ReadOnly;Pooling=False");
            await file.OpenAsync(Ct);
            foreach (var (index, predicate, _, entries) in expected)
            {
                string table = index.StartsWith("ix_contact", StringComparison.Ordinal) ? "contact" : "search_doc";
                await using var partial = file.CreateCommand();
                partial.CommandText = $"SELECT partial FROM pragma_index_list('{table}') WHERE name = '{index}'";
                Assert.Equal(1L, await partial.ExecuteScalarAsync(Ct));
                // Only a query that implies the index's condition may name it, so this reads every entry of the index.
                await using var count = file.CreateCommand();
                count.CommandText = $"SELECT count(*) FROM {table} INDEXED BY {index} WHERE {predicate}";
                Assert.Equal(entries, await count.ExecuteScalarAsync(Ct));
            }
            return;
        }
        await using var connection = new NpgsqlConnection(store.PostgresConnectionString);
        await connection.OpenAsync(Ct);
        // ANALYZE reads every row of these small tables and counts a partial index's entries as the sampled rows its
        // condition holds for (the table's row count for a full index).
        await using (var analyze = new NpgsqlCommand("ANALYZE search_doc, contact", connection)) await analyze.ExecuteNonQueryAsync(Ct);
        foreach (var (index, _, predicate, entries) in expected)
        {
            await using var command = new NpgsqlCommand(
                "SELECT pg_get_expr(i.indpred, i.indrelid), c.reltuples FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indexrelid = @index::regclass", connection);
            command.Parameters.AddWithValue("index", index);
            await using var reader = await command.ExecuteReaderAsync(Ct);
            Assert.True(await reader.ReadAsync(Ct));
            Assert.Equal($"({predicate})", reader.GetString(0));
            Assert.Equal(entries, (long)reader.GetFloat(1));
        }
    }

    /// <summary>EXPLAIN of a look-up on <paramref name="column"/> as the tenant role, with scans priced out of reach so any usable index is used.</summary>
    static async Task<string> PlanAsTenantAsync(TestStore store, string tenant, string column)
    {
        await using var connection = new NpgsqlConnection(store.PostgresConnectionString);
        await connection.OpenAsync(Ct);
        // Enough documents with every key that a key is selective: the partial key indexes (0041) hold one or two of the
        // test's documents, so on those alone the planner would seek by tenant only and filter the key, which proves nothing.
        await using (var more = new NpgsqlCommand("""
            INSERT INTO search_doc (tenant_id, object, record_id, name, email, phone, mobile_phone, website)
            SELECT @tenant::uuid, 'Contact', 'plan' || g, 'Plan ' || g, 'plan' || g || '@example.net', '+1 212 555 ' || lpad(g::text, 4, '0'),
                   '+1 646 555 ' || lpad(g::text, 4, '0'), 'plan' || g || '.example.net'
            FROM generate_series(1, 200) g
            ON CONFLICT DO NOTHING
            """, connection))
        {
            more.Parameters.AddWithValue("tenant", tenant);
            await more.ExecuteNonQueryAsync(Ct);
        }
        // Statistics, so the planner knows which index is the selective one.
        await using (var analyze = new NpgsqlCommand("ANALYZE search_doc", connection)) await analyze.ExecuteNonQueryAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using (var enter = new NpgsqlCommand("SELECT set_config('role', 'revops_tenant', true), set_config('revops.tenant', @tenant, true), set_config('enable_seqscan', 'off', true)", connection, transaction))
        {
            enter.Parameters.AddWithValue("tenant", tenant);
            await enter.ExecuteNonQueryAsync(Ct);
        }
        // The column name is one of the constants above.
        await using var explain = new NpgsqlCommand($"EXPLAIN SELECT record_id FROM search_doc WHERE tenant_id = @tenant::uuid AND {column} = ANY(@values) LIMIT 10", connection, transaction);
        explain.Parameters.AddWithValue("tenant", tenant);
        explain.Parameters.AddWithValue("values", new[] { "x" });
        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct)) lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
