using System.Data.Common;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using RevOps.Domain.Metadata;
using RevOps.Domain.Search;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Search;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Postgres;

/// <summary>
/// Search in search_doc's tsvector (0007_baseline.sql), which triggers keep in step with the
/// record tables. The tenant is both a token the query must match (so the GIN index only yields
/// this tenant's rows) and a plain column filter (so isolation never depends on the query text).
/// Documents are found through migration 0040's functions: under row-level security PostgreSQL
/// would not use the GIN indexes for @@ and &lt;% (their functions are not LEAKPROOF) and tested
/// every document of the tenant instead.
/// </summary>
internal sealed class PostgresSearchSql : SearchSql
{
    // Order: records whose Name holds every word as a whole word, then those whose Name holds every
    // word as a prefix, then the rest; within each tier by ts_rank (A name 1.0, B email, phones and
    // company 0.4, C title, website and city 0.2), then by Id so pages never overlap.
    const string Sql = """
        SELECT h.object, h.record_id, h.name, h.email, h.phone, h.mobile_phone, h.company, h.title, h.website, h.city,
               o.StageName, o.Amount, h.total
        FROM (
            SELECT d.object, d.record_id, d.name, d.email, d.phone, d.mobile_phone, d.company, d.title, d.website, d.city,
                   CASE WHEN d.document @@ to_tsquery('simple', @name_words) THEN 0
                        WHEN d.document @@ to_tsquery('simple', @name_prefixes) THEN 1
                        ELSE 2 END AS tier,
                   ts_rank(d.document, to_tsquery('simple', @match)) AS score,
                   count(*) OVER () AS total
            FROM revops_search_doc_match(to_tsquery('simple', @match)) d
            WHERE d.tenant_id = @tenant AND d.object = ANY(@objects)
            ORDER BY tier, score DESC, d.record_id
            LIMIT @limit OFFSET @offset
        ) h
        LEFT JOIN opportunity o ON h.object = 'Opportunity' AND o.tenant_id = @tenant AND o.Id = h.record_id
        ORDER BY h.tier, h.score DESC, h.record_id
        """;

    public override Task<DbCommand?> CommandAsync(SqlSession session, TenantId tenant, SearchTerms terms, IReadOnlyList<ObjectMetadata> objects,
        int limit, int offset, CancellationToken ct)
    {
        if (terms.IsEmpty && terms.Digits is null) return Task.FromResult<DbCommand?>(null);
        var command = ((PostgresSession)session).Command(Sql);
        PostgresValues.AddTenant(command.Parameters, tenant);
        PostgresValues.Add(command.Parameters, "match", MatchQuery(tenant, terms));
        PostgresValues.Add(command.Parameters, "name_words", NameQuery(terms, prefix: false));
        PostgresValues.Add(command.Parameters, "name_prefixes", NameQuery(terms, prefix: true));
        command.Parameters.Add(new NpgsqlParameter("objects", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = objects.Select(o => o.Name).ToArray() });
        PostgresValues.Add(command.Parameters, "limit", (long)limit);
        PostgresValues.Add(command.Parameters, "offset", (long)offset);
        return Task.FromResult<DbCommand?>(command);
    }

    // Candidates for the forgiving search: documents whose name, email or company holds a word spelt
    // like a probe (pg_trgm's word similarity of at least 0.3, loose because the domain checks the real
    // edit distance; 0040's function through 0016's GIN index), most alike first.
    const string TrigramExpression = "revops_trigram_text(d.name, d.email, d.company)";

    static string Candidates(string from, string where, string score) => $"""
        SELECT h.object, h.record_id, h.name, h.email, h.phone, h.mobile_phone, h.company, h.title, h.website, h.city,
               o.StageName, o.Amount, 0
        FROM (
            SELECT d.object, d.record_id, d.name, d.email, d.phone, d.mobile_phone, d.company, d.title, d.website, d.city, {score} AS score
            FROM {from} d
            WHERE d.tenant_id = @tenant AND d.object = ANY(@objects) AND ({where})
            ORDER BY score DESC, d.record_id
            LIMIT @max
        ) h
        LEFT JOIN opportunity o ON h.object = 'Opportunity' AND o.tenant_id = @tenant AND o.Id = h.record_id
        ORDER BY h.score DESC, h.record_id
        """;

    public override async Task<DbCommand> CandidatesCommandAsync(SqlSession session, TenantId tenant, IReadOnlyList<string> probes,
        IReadOnlyList<ObjectMetadata> objects, int max, CancellationToken ct)
    {
        var postgres = (PostgresSession)session;
        bool trigrams;
        // 0040 made the function where 0016 made the trigram index; the function scans the tenant's documents without it.
        await using (var check = postgres.Command(
            "SELECT to_regclass('ix_search_doc_trigram') IS NOT NULL AND to_regprocedure('revops_search_doc_similar(text[])') IS NOT NULL"))
            trigrams = (bool)(await check.ExecuteScalarAsync(ct))!;

        NpgsqlCommand command;
        if (trigrams)
        {
            var names = probes.Select((_, i) => "@p" + i).ToArray();
            command = postgres.Command(Candidates("(SELECT DISTINCT ON (record_id, object) * FROM revops_search_doc_similar(@probes))", "true",
                string.Join(" + ", names.Select(p => $"word_similarity({p}, {TrigramExpression})"))));
            for (int i = 0; i < probes.Count; i++) PostgresValues.Add(command.Parameters, "p" + i, probes[i]);
            command.Parameters.Add(new NpgsqlParameter("probes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = probes.ToArray() });
        }
        else
        {
            // Without pg_trgm (see 0016): documents holding any probe as a word prefix, so words that
            // match nothing are forgiven, typos not.
            command = postgres.Command(Candidates("revops_search_doc_match(to_tsquery('simple', @any))", "true",
                "ts_rank(d.document, to_tsquery('simple', @any))"));
            PostgresValues.Add(command.Parameters, "any", AnyQuery(tenant, probes));
        }
        PostgresValues.AddTenant(command.Parameters, tenant);
        command.Parameters.Add(new NpgsqlParameter("objects", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = objects.Select(o => o.Name).ToArray() });
        PostgresValues.Add(command.Parameters, "max", (long)max);
        return command;
    }

    /// <summary>The tenant's token and any of the probes as a prefix, e.g. <c>'t3f…':D &amp; ('initech':*ABC | 'gibons':*ABC)</c>.</summary>
    internal static string AnyQuery(TenantId tenant, IReadOnlyList<string> probes)
    {
        var text = new StringBuilder(96);
        text.Append("'t").Append(tenant.Value.ToString("N")).Append("':D & (");
        for (int i = 0; i < probes.Count; i++)
        {
            if (i > 0) text.Append(" | ");
            AppendLexeme(text, probes[i], "ABC", prefix: true);
        }
        return text.Append(')').ToString();
    }

    /// <summary>
    /// The tsquery, e.g. <c>'t3f…':D &amp; (('o':ABC &lt;-&gt; 'brien':*ABC) &amp; 'acme':*ABC | '4155550100':*D)</c>.
    /// Every word is a phrase of letter/digit tokens (SearchTerms leaves nothing else), quoted, so
    /// nothing a user types is tsquery syntax; each word's last token is a prefix, so "sar joh"
    /// finds Sarah Johnson. The query goes to PostgreSQL as a parameter.
    /// </summary>
    internal static string MatchQuery(TenantId tenant, SearchTerms terms)
    {
        var text = new StringBuilder(128);
        text.Append("'t").Append(tenant.Value.ToString("N")).Append("':D & (");
        bool any = false;
        if (!terms.IsEmpty)
        {
            AppendWords(text, terms, "ABC", prefix: true);
            any = true;
        }
        if (terms.Digits is { } digits)
        {
            if (any) text.Append(" | ");
            AppendLexeme(text, digits, "D", prefix: true);
            // "+1 415 555 0142" should find a number stored without its country code: the index
            // holds every number's last 10 digits as a token of its own.
            if (digits.Length > NationalDigits)
            {
                text.Append(" | ");
                AppendLexeme(text, digits[^NationalDigits..], "D", prefix: true);
            }
        }
        return text.Append(')').ToString();
    }

    /// <summary>Every word in the name (weight A), as whole words or as prefixes: the ranking tiers.</summary>
    internal static string NameQuery(SearchTerms terms, bool prefix)
    {
        if (terms.IsEmpty) return "''"; // matches nothing: digits-only searches have no name tier
        var text = new StringBuilder(96);
        AppendWords(text, terms, "A", prefix);
        return text.ToString();
    }

    static void AppendWords(StringBuilder text, SearchTerms terms, string weights, bool prefix)
    {
        text.Append('(');
        for (int w = 0; w < terms.Words.Count; w++)
        {
            if (w > 0) text.Append(" & ");
            var tokens = terms.Words[w];
            text.Append('(');
            for (int t = 0; t < tokens.Count; t++)
            {
                if (t > 0) text.Append(" <-> ");
                AppendLexeme(text, tokens[t], weights, prefix && t == tokens.Count - 1);
            }
            text.Append(')');
        }
        text.Append(')');
    }

    static void AppendLexeme(StringBuilder text, string lexeme, string weights, bool prefix) =>
        text.Append('\'').Append(lexeme.Replace("\\", "\\\\").Replace("'", "''")).Append("':").Append(prefix ? "*" : "").Append(weights);
}
