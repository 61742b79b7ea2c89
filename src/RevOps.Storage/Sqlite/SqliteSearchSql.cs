using System.Data.Common;
using System.Text;
using RevOps.Domain.Metadata;
using RevOps.Domain.Search;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Search;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Sqlite;

/// <summary>
/// Search in the FTS5 index that migration 0003 keeps in step with the record tables. The
/// tenant is always a plain column filter, so isolation never depends on the MATCH text; see
/// 0003_search.sql. Words that few documents hold are matched on their own and the filter drops
/// other tenants' few hits. Common words also get the tenant's token in the MATCH, so FTS5 visits
/// only this tenant's rows, at a price: bm25 counts the documents of every phrase, the tenant's
/// own included, which on a tenant of a million records is a walk of a million-entry list.
/// </summary>
internal sealed class SqliteSearchSql : SearchSql
{
    /// <summary>The columns user words are matched in: everything but tenant_token and digits.</summary>
    const string TextColumns = "{name email phone mobile_phone company title website city}";

    // Order: records whose Name holds every word as a whole word, then those whose Name holds every
    // word as a prefix, then the rest; within each tier by bm25 (weights, one per FTS column in
    // declaration order: tenant_token, name, email, phone, mobile_phone, company, title, website,
    // city, digits). The tiers matter because FTS5's bm25 normalizes by the length of the whole
    // row, so a short Opportunity that merely mentions its Account's name could outrank the Account.
    static string Sql(string join) => $"""
        SELECT h.object, h.record_id, h.name, h.email, h.phone, h.mobile_phone, h.company, h.title, h.website, h.city,
               o.StageName, o.Amount, h.total
        FROM (
            SELECT m.*, count(*) OVER () AS total FROM (
                SELECT d.object, d.record_id, d.name, d.email, d.phone, d.mobile_phone, d.company, d.title, d.website, d.city,
                       CASE WHEN d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH $name_words) THEN 0
                            WHEN d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH $name_prefixes) THEN 1
                            ELSE 2 END AS tier,
                       bm25(search_fts, 0.0, 10.0, 6.0, 4.0, 4.0, 3.0, 2.0, 1.0, 1.0, 4.0) AS score
                FROM search_fts {join} search_doc d ON d.id = search_fts.rowid
                WHERE search_fts MATCH $match AND d.tenant_id = $tenant AND d.object IN (SELECT value FROM json_each($objects))
            ) m
            ORDER BY m.tier, m.score, m.record_id
            {SqliteDialect.LimitOffsetSql}
        ) h
        LEFT JOIN opportunity o ON h.object = 'Opportunity' AND o.tenant_id = $tenant AND o.Id = h.record_id
        ORDER BY h.tier, h.score, h.record_id
        """;

    /// <summary>For common words: the MATCH carries the tenant's token.</summary>
    static readonly string Scoped = Sql("JOIN");

    /// <summary>For rare words: CROSS JOIN keeps SQLite from walking the tenant's documents and probing FTS5 for each.</summary>
    static readonly string Rare = Sql("CROSS JOIN");

    /// <summary>Documents of every tenant that hold the words, up to which the words are matched without the tenant's token.</summary>
    const int RareHits = 2000;

    static readonly string CountHits = $"SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH $match LIMIT {RareHits + 1})";

    /// <summary>The objects searched as one JSON array parameter: the standard four and any number of the tenant's custom objects.</summary>
    static string ObjectsJson(IReadOnlyList<ObjectMetadata> objects) => System.Text.Json.JsonSerializer.Serialize<IReadOnlyList<string>>(objects.Select(o => o.Name).ToArray(), Schema.StorageJson.Default.IReadOnlyListString);

    public override Task<DbCommand?> CommandAsync(SqlSession session, TenantId tenant, SearchTerms terms, IReadOnlyList<ObjectMetadata> objects,
        int limit, int offset, CancellationToken ct)
    {
        var sqlite = (SqliteSession)session;
        string anyTenant = MatchExpression(null, terms);
        var count = sqlite.Command(CountHits);
        count.Parameters.AddWithValue("$match", anyTenant);
        bool rare = (long)count.ExecuteScalar()! <= RareHits;
        TenantId? scope = rare ? null : tenant;
        string match = rare ? anyTenant : MatchExpression(tenant, terms);
        var command = sqlite.Command(rare ? Rare : Scoped);
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$name_words", NameExpression(scope, terms, prefix: false));
        command.Parameters.AddWithValue("$name_prefixes", NameExpression(scope, terms, prefix: true));
        command.Parameters.AddWithValue("$tenant", tenant.ToString());
        command.Parameters.AddWithValue("$objects", ObjectsJson(objects));
        command.Parameters.AddWithValue("@limit", limit);
        command.Parameters.AddWithValue("@offset", offset);
        return Task.FromResult<DbCommand?>(command);
    }

    // Candidates for the forgiving search: documents sharing the most (and rarest, by bm25) trigrams
    // with the probes, from migration 0016's fuzzy_trigram. CROSS JOIN: FTS5 first, then the tenant
    // filter on each of its few hits, never a walk of the tenant's documents.
    static readonly string Candidates = """
        SELECT h.object, h.record_id, h.name, h.email, h.phone, h.mobile_phone, h.company, h.title, h.website, h.city,
               o.StageName, o.Amount, 0
        FROM (
            SELECT d.object, d.record_id, d.name, d.email, d.phone, d.mobile_phone, d.company, d.title, d.website, d.city,
                   bm25(fuzzy_trigram) AS score
            FROM fuzzy_trigram CROSS JOIN search_doc d ON d.id = fuzzy_trigram.rowid
            WHERE fuzzy_trigram MATCH $match AND d.tenant_id = $tenant AND d.object IN (SELECT value FROM json_each($objects))
            ORDER BY score, d.record_id
            LIMIT $max
        ) h
        LEFT JOIN opportunity o ON h.object = 'Opportunity' AND o.tenant_id = $tenant AND o.Id = h.record_id
        ORDER BY h.score, h.record_id
        """;

    public override Task<DbCommand> CandidatesCommandAsync(SqlSession session, TenantId tenant, IReadOnlyList<string> probes,
        IReadOnlyList<ObjectMetadata> objects, int max, CancellationToken ct)
    {
        var command = ((SqliteSession)session).Command(Candidates);
        command.Parameters.AddWithValue("$match", TrigramExpression(probes));
        command.Parameters.AddWithValue("$tenant", tenant.ToString());
        command.Parameters.AddWithValue("$objects", ObjectsJson(objects));
        command.Parameters.AddWithValue("$max", max);
        return Task.FromResult<DbCommand>(command);
    }

    /// <summary>
    /// Any of the probes' trigrams, e.g. <c>"gib" OR "ibo" OR "bon" OR "ons"</c>. Probes are runs of
    /// letters and digits (SearchTerms leaves nothing else), so a trigram is never FTS5 syntax.
    /// </summary>
    internal static string TrigramExpression(IReadOnlyList<string> probes)
    {
        var grams = probes.SelectMany(FuzzyWords.Trigrams).Distinct(StringComparer.Ordinal);
        return string.Join(" OR ", grams.Select(g => "\"" + g.Replace("\"", "\"\"") + "\""));
    }

    /// <summary>
    /// The FTS5 query, e.g. <c>tenant_token : "3f…" AND ({name …} : ("o brien"* "acme"*) OR digits : "4155550100"*)</c>.
    /// Every word is a quoted phrase of letter/digit tokens (SearchTerms leaves nothing else), so
    /// operators, column names, quotes and parentheses a user types are never syntax; each token is
    /// a prefix so "sar joh" finds Sarah Johnson.
    /// </summary>
    internal static string MatchExpression(TenantId? tenant, SearchTerms terms)
    {
        var text = new StringBuilder(128);
        AppendTenant(text, tenant).Append('(').Append(TextColumns).Append(" : ");
        AppendWords(text, terms, prefix: true);
        if (terms.Digits is { } digits)
        {
            text.Append(" OR digits : ");
            AppendPhrase(text, digits, prefix: true);
            // "+1 415 555 0142" should find a number stored without its country code: the index
            // holds every number's last 10 digits as a token of its own.
            if (digits.Length > NationalDigits)
            {
                text.Append(" OR digits : ");
                AppendPhrase(text, digits[^NationalDigits..], prefix: true);
            }
        }
        text.Append(')');
        return text.ToString();
    }

    /// <summary>Every word in the name column, as whole words or as prefixes: the ranking tiers.</summary>
    internal static string NameExpression(TenantId? tenant, SearchTerms terms, bool prefix)
    {
        var text = new StringBuilder(96);
        AppendTenant(text, tenant).Append("name : ");
        AppendWords(text, terms, prefix);
        return text.ToString();
    }

    /// <summary>"tenant_token : "…" AND ", or nothing when the words are matched in every tenant's documents.</summary>
    static StringBuilder AppendTenant(StringBuilder text, TenantId? tenant) =>
        tenant is { } scoped ? text.Append("tenant_token : \"").Append(scoped.Value.ToString("N")).Append("\" AND ") : text;

    static void AppendWords(StringBuilder text, SearchTerms terms, bool prefix)
    {
        text.Append('(');
        for (int i = 0; i < terms.Words.Count; i++)
        {
            if (i > 0) text.Append(' ');
            AppendPhrase(text, string.Join(' ', terms.Words[i]), prefix);
        }
        text.Append(')');
    }

    static void AppendPhrase(StringBuilder text, string phrase, bool prefix)
    {
        text.Append('"').Append(phrase.Replace("\"", "\"\"")).Append('"');
        if (prefix) text.Append('*');
    }
}
