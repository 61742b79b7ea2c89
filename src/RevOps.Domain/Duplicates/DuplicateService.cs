using System.Collections.Concurrent;
using RevOps.Domain.Errors;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;

namespace RevOps.Domain.Duplicates;

/// <summary>
/// Each tenant's duplicate rules (cached; a change on this node counts at once, one made elsewhere within
/// <see cref="RefreshAfter"/>) and the check of new records against them and the caller's on_duplicate.
/// </summary>
public sealed class DuplicateService(IDuplicateStore store, TimeProvider time)
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(5);

    readonly DuplicateDetector _detector = new(store);
    readonly ConcurrentDictionary<TenantId, (DuplicateRuleSet Rules, long LoadedAt)> _cache = new();

    public async ValueTask<DuplicateRuleSet> RulesAsync(TenantId tenant, CancellationToken ct)
    {
        long now = time.GetTimestamp();
        if (_cache.TryGetValue(tenant, out var cached) && time.GetElapsedTime(cached.LoadedAt, now) < RefreshAfter) return cached.Rules;
        var rules = new DuplicateRuleSet(await store.RulesAsync(tenant, ct));
        _cache[tenant] = (rules, now);
        return rules;
    }

    /// <summary>Sets rules' actions (off, report or block) for the tenant: all of them, or none when one is not valid.</summary>
    public async Task<CrmResult<DuplicateRuleSet>> SetAsync(TenantId tenant, IReadOnlyList<KeyValuePair<string?, string?>> changes, CancellationToken ct)
    {
        if (changes.Count == 0)
            return new CrmError(ErrorCodes.RequiredFieldMissing, $"Send at least one rule and its action, e.g. {{\"phone\": \"block\"}}. Rules: {string.Join(", ", DuplicateRule.All)}.", "rule");
        var parsed = new Dictionary<string, DuplicateAction>(StringComparer.Ordinal);
        foreach (var (rule, action) in changes)
        {
            if (DuplicateRule.Parse(rule) is not { } name)
                return new CrmError(ErrorCodes.InvalidArgument, $"'{Clip(rule)}' is not a duplicate rule. Send one of: {string.Join(", ", DuplicateRule.All)}.", "rule");
            if (DuplicateRule.ParseAction(action) is not { } value)
                return new CrmError(ErrorCodes.InvalidArgument, $"The action for rule {name} must be off, report or block; got '{Clip(action)}'.", "action");
            parsed[name] = value;
        }
        await store.SetRulesAsync(tenant, parsed, time.GetUtcNow().UtcDateTime, ct);
        _cache.TryRemove(tenant, out _);
        return await RulesAsync(tenant, ct);
    }

    /// <summary>
    /// What to do with each new record under the tenant's rules and the caller's on_duplicate (records of other
    /// objects are written as they are). Nothing is read when no rule applies: REST without on_duplicate checks
    /// only blocking rules, so a tenant without any pays nothing.
    /// </summary>
    public async Task<IReadOnlyList<DuplicateFinding>> CheckAsync(Caller caller, IReadOnlyList<Record> records, WriteOptions options, CancellationToken ct)
    {
        var none = Enumerable.Repeat(DuplicateFinding.None, records.Count).ToArray();
        if (!records.Any(r => DuplicateRule.Checks(r.Object))) return none;
        var ruleSet = await RulesAsync(caller.Tenant, ct);
        var rules = ruleSet.Checked(blockingOnly: options.OnDuplicate is null && !options.ReportDuplicates);
        if (!records.Any(r => rules.Any(rule => DuplicateRule.Applies(rule, r.Object)))) return none;

        var checkedRecords = records.Where(r => DuplicateRule.Checks(r.Object)).ToArray();
        var matches = await _detector.FindAsync(caller.Tenant, checkedRecords, rules, m => Verdict(m, options, ruleSet) != DuplicateVerdict.Write, ct);
        int next = 0;
        for (int i = 0; i < records.Count; i++)
            if (DuplicateRule.Checks(records[i].Object))
            {
                var found = matches[next++];
                none[i] = found.Count == 0 ? DuplicateFinding.None : new DuplicateFinding(Verdict(found, options, ruleSet), found);
            }
        return none;
    }

    /// <summary>Whether new records of any of <paramref name="objects"/> would be checked (so a batch prepares them for one look-up).</summary>
    public async ValueTask<bool> ChecksAnyAsync(Caller caller, IEnumerable<Metadata.ObjectMetadata> objects, WriteOptions options, CancellationToken ct)
    {
        var checkedObjects = objects.Where(DuplicateRule.Checks).Distinct().ToArray();
        if (checkedObjects.Length == 0) return false;
        var rules = (await RulesAsync(caller.Tenant, ct)).Checked(blockingOnly: options.OnDuplicate is null && !options.ReportDuplicates);
        return checkedObjects.Any(o => rules.Any(rule => DuplicateRule.Applies(rule, o)));
    }

    static DuplicateVerdict Verdict(IReadOnlyList<DuplicateMatch> matches, WriteOptions options, DuplicateRuleSet rules)
    {
        if (matches.Count == 0) return DuplicateVerdict.Write;
        return options.OnDuplicate switch
        {
            DuplicatePolicy.Report => DuplicateVerdict.Write,
            DuplicatePolicy.Skip => DuplicateVerdict.Skip,
            DuplicatePolicy.Block => DuplicateVerdict.Block,
            _ => matches.Any(m => rules[m.Rule] == DuplicateAction.Block) ? DuplicateVerdict.Block : DuplicateVerdict.Write,
        };
    }

    static string? Clip(string? text) => text is { Length: > 40 } ? text[..40] + "…" : text;
}
