using Npgsql;
using RevOps.Domain.Metadata;

namespace RevOps.Storage.Tests;

/// <summary>
/// Migration 0042 on PostgreSQL: the search document is built with one revops_words call per weight, and must stay the
/// tsvector that 0034's one call per field built (same words, positions and weights), so search and its ranking do not
/// move; and the tenant is entered through revops_tenant_entry, a table that never holds a row.
/// </summary>
public sealed class PostgresSearchDocumentTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>0034's document expression, over search_doc's own columns.</summary>
    const string PerFieldDocument = """
        setweight(revops_words(name), 'A') ||
        setweight(revops_words(email) || revops_words(phone) || revops_words(mobile_phone) || revops_words(company), 'B') ||
        setweight(revops_words(title) || revops_words(website) || revops_words(city), 'C') ||
        setweight(to_tsvector('simple', 't' || replace(tenant_id::text, '-', '') || ' ' || revops_phone_tokens(phone) || ' ' || revops_phone_tokens(mobile_phone)), 'D')
        """;

    [Fact]
    public async Task Document_IsThePerFieldDocument_ForPunctuationNullsEmptyAndNonLatinValues()
    {
        if (BackendsAttribute.PostgresServer is null) Assert.Skip("PostgreSQL only: set REVOPS_TEST_PG.");
        await using var store = await backends.FreshAsync(BackendsAttribute.Postgres);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var account = await acme.CreateAsync(StandardObjects.Account,
            """{"Name":"Globex-Corp. (EU)","Website":"https://www.Globex.com/a?b=c","Phone":"+44 20 7946 0958","BillingCity":"Zürich"}""", Ct);
        await acme.CreateAsync(StandardObjects.Contact,
            $$"""{"FirstName":"Ann","LastName":"O'Lee","Email":"Ann.Lee+crm@Example.COM","Phone":"+1 (415) 555-0100 x12","MobilePhone":"415.555.0199","Title":"VP, R&D","MailingCity":"São Paulo","AccountId":"{{account.Id}}"}""", Ct);
        await acme.CreateAsync(StandardObjects.Contact, """{"LastName":"ΟΔΟΣ Σοφοκλέους","Email":"","Title":"  ","MailingCity":"東京 2-1"}""", Ct);
        await acme.CreateAsync(StandardObjects.Contact, """{"LastName":"Lee","Email":"lee@example.com","Phone":"lee lee 1.5"}""", Ct);
        await acme.CreateAsync(StandardObjects.Lead,
            """{"LastName":"Ng","Company":"Ng & Ng, Inc.","Email":"ng@ng.io","Website":"ng.io","City":"--","Title":"Dr. Dr."}""", Ct);
        await acme.CreateAsync(StandardObjects.Opportunity,
            $$"""{"Name":"Globex renewal 2027","StageName":"Prospecting","CloseDate":"2027-01-31","AccountId":"{{account.Id}}"}""", Ct);

        await using var connection = new NpgsqlConnection(OwnerConnection(store));
        await connection.OpenAsync(Ct);
        await using var compare = new NpgsqlCommand(
            $"SELECT count(*), count(*) FILTER (WHERE document IS DISTINCT FROM ({PerFieldDocument})), count(*) FILTER (WHERE document IS NULL) FROM search_doc",
            connection);
        await using var reader = await compare.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal(6, reader.GetInt64(0));
        Assert.Equal(0, reader.GetInt64(1));
        Assert.Equal(0, reader.GetInt64(2));
    }

    [Fact]
    public async Task TenantEntryTable_NeverHoldsARow_AndTheTenantRoleCannotAddOne()
    {
        if (BackendsAttribute.PostgresServer is null) Assert.Skip("PostgreSQL only: set REVOPS_TEST_PG.");
        await using var store = await backends.FreshAsync(BackendsAttribute.Postgres);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var contact = await acme.CreateAsync(StandardObjects.Contact, """{"LastName":"Lee"}""", Ct);
        // A read and a write entered the tenant through the table; both found the tenant's rows.
        Assert.NotNull(await store.Backend.Records.GetAsync(acme.Id, StandardObjects.Contact, contact.Id, Ct));

        await using var connection = new NpgsqlConnection(OwnerConnection(store));
        await connection.OpenAsync(Ct);
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM revops_tenant_entry", connection))
            Assert.Equal(0L, await count.ExecuteScalarAsync(Ct));
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using var insert = new NpgsqlCommand("SET LOCAL ROLE revops_tenant; INSERT INTO revops_tenant_entry DEFAULT VALUES", connection, transaction);
        var error = await Assert.ThrowsAsync<PostgresException>(() => insert.ExecuteNonQueryAsync(Ct));
        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    /// <summary>The test database as its owner, which row-level security does not hold.</summary>
    static string OwnerConnection(TestStore store) =>
        new NpgsqlConnectionStringBuilder(BackendsAttribute.PostgresServer) { Database = store.Backend.Location[(store.Backend.Location.LastIndexOf('/') + 1)..] }.ConnectionString;
}
