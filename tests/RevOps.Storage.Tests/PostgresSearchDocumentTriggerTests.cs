using Npgsql;
using RevOps.Domain.Metadata;

namespace RevOps.Storage.Tests;

/// <summary>
/// Migration 0043 on PostgreSQL: search_doc's trigger takes each phone number's digits once and builds the phone tokens and
/// keys from them, where 0034's trigger called revops_phone_tokens (not inlinable) and revops_phone_national. Every
/// document, token and key must be exactly what those functions give, on inserts and updates, for every shape of number.
/// </summary>
public sealed class PostgresSearchDocumentTriggerTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    // 0034's document and keys, spelt with the functions the trigger used then.
    const string Differences = """
        SELECT count(*), count(*) FILTER (WHERE
            document IS DISTINCT FROM
                setweight(revops_words(name), 'A') ||
                setweight(revops_words(email) || revops_words(phone) || revops_words(mobile_phone) || revops_words(company), 'B') ||
                setweight(revops_words(title) || revops_words(website) || revops_words(city), 'C') ||
                setweight(to_tsvector('simple', 't' || replace(tenant_id::text, '-', '') || ' ' || revops_phone_tokens(phone) || ' ' || revops_phone_tokens(mobile_phone)), 'D')
            OR phone_key IS DISTINCT FROM revops_phone_national(phone)
            OR mobile_key IS DISTINCT FROM revops_phone_national(mobile_phone)
            OR email_key IS DISTINCT FROM lower(email) OR name_key IS DISTINCT FROM lower(name) OR web_key IS DISTINCT FROM revops_web_host(website)),
            count(*) FILTER (WHERE phone IS NOT NULL), count(*) FILTER (WHERE mobile_phone IS NOT NULL)
        FROM search_doc
        """;

    // Shapes the domain accepts (digits with +, spaces, dashes, dots, parentheses, an extension), each number different.
    static readonly string[] Phones =
    [
        "+1 (415) 555-0100 x12", "415.555.0199", "+44 20 7946 0958 ext 3", "(0)30 1234-5678", "+49 30 1234 5678", "555 1234", "555-0101",
        "+1 415 555 0142 ext. 7", "0041 44 668 18 00", "1 (800) 555.0102", "+33 1 42 68 53 00", "(212)555-0177x4", "+81-3-1234-5678",
        "4155550103", "+1.415.555.0123",
    ];

    [Fact, Trait("Backend", "PostgreSQL")]
    public async Task Documents_TokensAndKeys_AreExactlyThoseOfThePhoneFunctions_OnInsertAndUpdate()
    {
        if (BackendsAttribute.PostgresServer is null) Assert.Skip("PostgreSQL only: set REVOPS_TEST_PG.");
        await using var store = await backends.FreshAsync(BackendsAttribute.Postgres);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var account = await acme.CreateAsync(StandardObjects.Account, """{"Name":"Globex","Phone":"+1 (650) 555-0111","Website":"https://www.globex.com/x"}""", Ct);
        for (int i = 0; i < Phones.Length; i++)
        {
            string mobile = i % 3 == 0 ? "null" : System.Text.Json.JsonSerializer.Serialize(Phones[(i + 5) % Phones.Length]);
            await acme.CreateAsync(StandardObjects.Contact,
                $$"""{"LastName":"Lee {{i}}","Email":"lee{{i}}@example.com","Phone":{{System.Text.Json.JsonSerializer.Serialize(Phones[i])}},"MobilePhone":{{mobile}},"AccountId":"{{account.Id}}"}""", Ct);
            await acme.CreateAsync(StandardObjects.Lead, $$"""{"LastName":"Ng {{i}}","Company":"Initech","MobilePhone":{{System.Text.Json.JsonSerializer.Serialize(Phones[i])}}}""", Ct);
        }
        var changed = await acme.CreateAsync(StandardObjects.Contact, """{"LastName":"Moved","Phone":"415 555 0100"}""", Ct);
        await acme.UpdateAsync(StandardObjects.Contact, changed.Id, """{"Phone":"+1 212 555 0188 x9","MobilePhone":"(212) 555-0177"}""", Ct);

        await using var owner = new NpgsqlConnection(store.PostgresConnectionString);
        await owner.OpenAsync(Ct);
        await using (var check = new NpgsqlCommand(Differences, owner))
        await using (var reader = await check.ExecuteReaderAsync(Ct))
        {
            Assert.True(await reader.ReadAsync(Ct));
            Assert.Equal(2L * Phones.Length + 2, reader.GetInt64(0)); // the account, the contacts and leads, the moved contact
            Assert.Equal(0L, reader.GetInt64(1));
            Assert.Equal(Phones.Length + 2L, reader.GetInt64(2));
            Assert.Equal(Phones.Length + Phones.Length * 2 / 3 + 1L, reader.GetInt64(3));
        }
        // The moved contact's document holds its new number's tokens (whole, last 10, last 7) and not its old one's.
        await using (var tokens = new NpgsqlCommand("""
            SELECT document @@ '12125550188:D'::tsquery AND document @@ '2125550188:D'::tsquery AND document @@ '5550188:D'::tsquery
                   AND document @@ '5550177:D'::tsquery AND NOT document @@ '4155550100:D'::tsquery, phone_key, mobile_key
            FROM search_doc WHERE record_id = @id
            """, owner))
        {
            tokens.Parameters.AddWithValue("id", changed.Id);
            await using var reader = await tokens.ExecuteReaderAsync(Ct);
            Assert.True(await reader.ReadAsync(Ct));
            Assert.True(reader.GetBoolean(0));
            Assert.Equal("2125550188", reader.GetString(1));
            Assert.Equal("2125550177", reader.GetString(2));
        }
        // The trigger no longer calls the function PostgreSQL cannot inline.
        await using var source = new NpgsqlCommand("SELECT prosrc FROM pg_proc WHERE proname = 'revops_search_document'", owner);
        Assert.DoesNotContain("revops_phone_tokens", (string)(await source.ExecuteScalarAsync(Ct))!);
    }
}
