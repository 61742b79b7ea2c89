using RevOps.Domain.Duplicates;
using RevOps.Domain.Tenancy;
using RevOps.Storage.Sql;

namespace RevOps.Storage.Duplicates;

/// <summary>
/// The tenants' duplicate rule settings, and the look-up of possible duplicates in search_doc (one row per live
/// Account, Contact and unconverted Lead) through the expression indexes of migrations 0017 and 0041. Written once; the
/// engine only says how it spells each key and its look-up (<see cref="SqlDialect.DuplicateCandidates"/>; on PostgreSQL
/// migration 0044's function, whose plans outlive the call).
/// </summary>
internal sealed class DuplicateStore(SqlDatabase db) : IDuplicateStore
{
    const string SelectRules = "SELECT rule, action FROM duplicate_rules WHERE tenant_id = @tenant";

    const string UpsertRule = """
        INSERT INTO duplicate_rules (tenant_id, rule, action, updated_at) VALUES (@tenant, @rule, @action, @at)
        ON CONFLICT (tenant_id, rule) DO UPDATE SET action = excluded.action, updated_at = excluded.updated_at
        """;

    readonly Dictionary<DuplicateKey, string> _find = Enum.GetValues<DuplicateKey>().ToDictionary(key => key, key => db.Dialect.DuplicateCandidates(key));

    /// <summary>The look-up statement of <paramref name="key"/>, for tests of its plan.</summary>
    internal string FindSql(DuplicateKey key) => _find[key];

    public Task<IReadOnlyDictionary<string, DuplicateAction>> RulesAsync(TenantId tenant, CancellationToken ct) =>
        db.ReadAsync<IReadOnlyDictionary<string, DuplicateAction>>(tenant, async session =>
        {
            var command = session.Command(SelectRules);
            session.Dialect.AddTenant(command, tenant);
            var rules = new Dictionary<string, DuplicateAction>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                if (DuplicateRule.ParseAction(reader.GetString(1)) is { } action) rules[reader.GetString(0)] = action;
            return rules;
        }, ct);

    public Task SetRulesAsync(TenantId tenant, IReadOnlyDictionary<string, DuplicateAction> rules, DateTime at, CancellationToken ct) =>
        db.WriteAsync(tenant, async session =>
        {
            var d = session.Dialect;
            foreach (var (rule, action) in rules)
            {
                var command = session.Command(UpsertRule);
                d.AddTenant(command, tenant);
                d.AddText(command, "@rule", rule);
                d.AddText(command, "@action", DuplicateRule.Text(action));
                d.AddTime(command, "@at", at);
                await command.ExecuteNonQueryAsync(ct);
            }
            return rules.Count;
        }, ct);

    public Task<IReadOnlyList<DuplicateCandidate>> FindAsync(TenantId tenant, DuplicateKey key, IReadOnlyCollection<string> values, int limit, CancellationToken ct)
    {
        if (values.Count == 0) return Task.FromResult<IReadOnlyList<DuplicateCandidate>>([]);
        return db.ReadAsync<IReadOnlyList<DuplicateCandidate>>(tenant, async session =>
        {
            var command = session.Command(_find[key]);
            var d = session.Dialect;
            d.AddTenant(command, tenant);
            d.AddParents(command, values.ToArray());
            d.AddLong(command, "@limit", limit);
            var found = new List<DuplicateCandidate>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                string obj = reader.GetString(0);
                if (obj is not ("Account" or "Contact" or "Lead")) continue;
                found.Add(new DuplicateCandidate(obj, reader.GetString(1), d.ReadNullableText(reader, 2), d.ReadNullableText(reader, 3),
                    d.ReadNullableText(reader, 4), d.ReadNullableText(reader, 5), d.ReadNullableText(reader, 6), d.ReadNullableText(reader, 7),
                    d.ReadNullableText(reader, 8)));
            }
            return found;
        }, ct);
    }
}
