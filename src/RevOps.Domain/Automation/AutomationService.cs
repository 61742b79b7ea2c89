using System.Security.Cryptography;
using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Automation;

/// <summary>
/// Automation rules as MCP, REST and the CLI manage them: admin scope to change them or dry-run them, any
/// key to read them and their runs; every rule checked against the tenant's schema before it is stored.
/// </summary>
public sealed class AutomationService(IAutomationStore store, SchemaService schemas, Users.UserService users, Webhooks.IWebhookStore webhooks, AutomationExecutor executor, TimeProvider time)
{
    public const int MaxRulesPerTenant = 50;
    /// <summary>Runs of one tenant that may finish as done in a minute; more wait for the next minute.</summary>
    public const int MaxRunsPerMinute = 600;
    public const int MaxRunsPage = 200;
    public const int MaxTestChanges = 50;
    const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public async Task<CrmResult<AutomationRule>> CreateAsync(Caller caller, JsonElement json, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        var parsed = await ParseAsync(caller, json, ct);
        if (!parsed.IsOk) return parsed.Error;
        var existing = await store.ListAsync(caller.Tenant, ct);
        if (existing.Count >= MaxRulesPerTenant)
            return new CrmError(ErrorCodes.InvalidArgument, $"this org already has {existing.Count} automation rules, the most allowed. Delete one first (manage_automation action=delete).");
        if (existing.Any(r => string.Equals(r.Name, parsed.Value.Name, StringComparison.OrdinalIgnoreCase)))
            return new CrmError(ErrorCodes.Conflict, $"a rule named '{parsed.Value.Name}' exists already; pick another name or update that one (rule_id {existing.First(r => string.Equals(r.Name, parsed.Value.Name, StringComparison.OrdinalIgnoreCase)).Id}).", "name");
        var now = time.GetUtcNow().UtcDateTime;
        var rule = new AutomationRule("rule_" + RandomNumberGenerator.GetString(Base62, 20), caller.Tenant, parsed.Value.Name, parsed.Value.Object.Name,
            parsed.Value.Trigger, json.GetRawText(), RuleParser.StartsEnabled(json), caller.ActorId, now, now)
        { NextFireAt = parsed.Value.Trigger.Schedule?.Next(now) };
        await store.CreateAsync(rule, ct);
        return rule;
    }

    public async Task<CrmResult<IReadOnlyList<AutomationRule>>> ListAsync(Caller caller, CancellationToken ct) =>
        CrmResult<IReadOnlyList<AutomationRule>>.Ok(await store.ListAsync(caller.Tenant, ct));

    public async Task<CrmResult<AutomationRule>> GetAsync(Caller caller, string? id, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(id)) return RequiredId();
        var rule = await store.GetAsync(caller.Tenant, id.Trim(), ct);
        return rule is null ? NotFound(id) : rule;
    }

    public async Task<CrmResult<AutomationRule>> UpdateAsync(Caller caller, string? id, JsonElement json, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        var existing = await GetAsync(caller, id, ct);
        if (!existing.IsOk) return existing;
        var parsed = await ParseAsync(caller, json, ct);
        if (!parsed.IsOk) return parsed.Error;
        var others = await store.ListAsync(caller.Tenant, ct);
        if (others.Any(r => r.Id != existing.Value.Id && string.Equals(r.Name, parsed.Value.Name, StringComparison.OrdinalIgnoreCase)))
            return new CrmError(ErrorCodes.Conflict, $"another rule is named '{parsed.Value.Name}'; pick another name.", "name");
        var rule = existing.Value with
        {
            Name = parsed.Value.Name, Object = parsed.Value.Object.Name, Trigger = parsed.Value.Trigger, Definition = json.GetRawText(),
            UpdatedAt = time.GetUtcNow().UtcDateTime, NextFireAt = parsed.Value.Trigger.Schedule?.Next(time.GetUtcNow().UtcDateTime),
        };
        return await store.UpdateAsync(rule, fromNow: false, ct) ? rule : NotFound(id);
    }

    /// <summary>Turns a rule on or off; turned on again, it sees only changes committed from now on.</summary>
    public async Task<CrmResult<AutomationRule>> SetEnabledAsync(Caller caller, string? id, bool enabled, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        var existing = await GetAsync(caller, id, ct);
        if (!existing.IsOk) return existing;
        if (existing.Value.Enabled == enabled) return existing;
        var now = time.GetUtcNow().UtcDateTime;
        var rule = existing.Value with { Enabled = enabled, UpdatedAt = now };
        if (enabled && rule.Trigger.On == RuleTrigger.Scheduled)
        {
            // Turned on again, a schedule fires next from now: the fires it missed while off are not made up.
            var definition = await DefinitionAsync(rule, ct);
            if (!definition.IsOk) return definition.Error;
            rule = rule with { NextFireAt = definition.Value.Trigger.Schedule?.Next(now) };
        }
        return await store.UpdateAsync(rule, fromNow: enabled, ct) ? rule : NotFound(id);
    }

    public async Task<CrmResult<string>> DeleteAsync(Caller caller, string? id, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        if (string.IsNullOrWhiteSpace(id)) return RequiredId();
        return await store.DeleteAsync(caller.Tenant, id.Trim(), ct) ? id.Trim() : NotFound(id);
    }

    public async Task<CrmResult<IReadOnlyList<AutomationRun>>> RunsAsync(Caller caller, string? ruleId, string? status, int limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxRunsPage) return new CrmError(ErrorCodes.InvalidArgument, $"limit must be between 1 and {MaxRunsPage}; got {limit}.", "limit");
        if (status is not null && !AutomationRun.Statuses.All.Contains(status))
            return new CrmError(ErrorCodes.InvalidArgument, $"status must be one of {string.Join(", ", AutomationRun.Statuses.All)}; got '{Cut(status)}'.", "status");
        return CrmResult<IReadOnlyList<AutomationRun>>.Ok(await store.RunsAsync(caller.Tenant, ruleId?.Trim(), status, limit, ct));
    }

    /// <summary>
    /// A dry run: the rule (stored, by <paramref name="id"/>, or as sent in <paramref name="json"/>) against the last
    /// <paramref name="changes"/> changes of its object, as the runner would run it, writing nothing.
    /// </summary>
    public async Task<CrmResult<TestReport>> TestAsync(Caller caller, string? id, JsonElement? json, int changes, CancellationToken ct)
    {
        if (NotAdmin(caller) is { } denied) return denied;
        if (changes is < 1 or > MaxTestChanges)
            return new CrmError(ErrorCodes.InvalidArgument, $"changes must be between 1 and {MaxTestChanges}; got {changes}.", "changes");
        AutomationRule rule;
        if (json is { } sent)
        {
            var parsedSent = await ParseAsync(caller, sent, ct);
            if (!parsedSent.IsOk) return parsedSent.Error;
            var now = time.GetUtcNow().UtcDateTime;
            rule = new AutomationRule("rule_test", caller.Tenant, parsedSent.Value.Name, parsedSent.Value.Object.Name, parsedSent.Value.Trigger, sent.GetRawText(), true, caller.ActorId, now, now);
        }
        else
        {
            var stored = await GetAsync(caller, id, ct);
            if (!stored.IsOk) return stored.Error;
            rule = stored.Value;
        }
        var definition = await DefinitionAsync(rule, ct);
        if (!definition.IsOk) return definition.Error;
        if (definition.Value.Trigger.Schedule is { } schedule)
        {
            // A scheduled rule is tried as one fire now, over the records its condition selects.
            var at = time.GetUtcNow().UtcDateTime;
            var fire = new DueRun(caller.Tenant, "run_test", rule.Id, new DateTimeOffset(at).ToUnixTimeSeconds(), rule.Object, "", AutomationRun.ScheduledOperation, 1, "{}", 1, "");
            return new TestReport(rule.Name, 0, [new TestRun(fire.Seq, "", fire.Operation, await executor.RunAsync(rule, definition.Value, fire, 0, dryRun: true, ct))])
            { NextFireAt = schedule.Next(at) };
        }
        var recent = await store.RecentChangesAsync(caller.Tenant, rule.Object, changes, ct);
        var runs = new List<TestRun>();
        foreach (var change in recent.Reverse())
        {
            if (!rule.Trigger.Matches(change.Operation, change.Fields)) continue;
            int depth = LoopDepth.OfRunFor(change.Channel, change.RequestId);
            if (depth > LoopDepth.Max)
            {
                runs.Add(new TestRun(change.Seq, change.RecordId, change.Operation, new RunOutcome(AutomationRun.Statuses.Stopped, LoopStopped(depth), null)));
                continue;
            }
            var due = new DueRun(caller.Tenant, "run_test", rule.Id, change.Seq, change.Object, change.RecordId, change.Operation, depth, change.Changes.GetRawText(), 1, "");
            long turn = await store.DoneBeforeAsync(caller.Tenant, rule.Id, change.Seq, ct);
            runs.Add(new TestRun(change.Seq, change.RecordId, change.Operation, await executor.RunAsync(rule, definition.Value, due, turn, dryRun: true, ct)));
        }
        return new TestReport(rule.Name, recent.Count, runs);
    }

    /// <summary>The stored rule's JSON read against the tenant's schema as it is now (a field may have gone since).</summary>
    public async Task<CrmResult<RuleDefinition>> DefinitionAsync(AutomationRule rule, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(rule.Definition);
        return RuleParser.Parse(document.RootElement, await schemas.GetAsync(rule.Tenant, ct), DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
    }

    public static string LoopStopped(int depth) =>
        $"Loop protection: this change was made by a chain of {depth - 1} rule runs; runs deeper than {LoopDepth.Max} are stopped. Make the rule's condition false once its work is done (e.g. ISCHANGED of a field it does not write).";

    async Task<CrmResult<RuleDefinition>> ParseAsync(Caller caller, JsonElement json, CancellationToken ct)
    {
        var parsed = RuleParser.Parse(json, await schemas.GetAsync(caller.Tenant, ct), DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        if (!parsed.IsOk) return parsed;
        // Users named by assign_owner must be this org's: an Id of another org is refused here, not at the first run.
        foreach (var (action, index) in parsed.Value.Actions.Select((a, i) => (a, i)))
            foreach (var user in action.Users)
                if (!(await users.FindAsync(caller.Tenant, user, ct)).IsOk)
                    return new CrmError(ErrorCodes.InvalidCrossReference, $"actions[{index}]: user {user} is not a user of this org. Find users with find_records on User.", $"actions[{index}]");
        // A webhook action sends to one of this org's subscriptions, named by id: its URL and secret stay in one place.
        foreach (var (action, index) in parsed.Value.Actions.Select((a, i) => (a, i)))
            if (action.WebhookId is { } hook && await webhooks.GetAsync(caller.Tenant, hook, ct) is null)
                return new CrmError(ErrorCodes.InvalidCrossReference, $"actions[{index}].webhook_id: no webhook '{Cut(hook)}' in this org. Create one with manage_webhooks action=create (it holds the URL and the signing secret) and name its id here.", $"actions[{index}].webhook_id");
        return parsed;
    }

    static CrmError? NotAdmin(Caller caller) => caller.IsAdmin ? null
        : new CrmError(ErrorCodes.InsufficientAccess, "Changing or testing automation rules needs an admin-scope key; this key may only list rules and their runs.");

    static CrmError RequiredId() => new(ErrorCodes.RequiredFieldMissing, "rule_id is required; list the rules to find it (manage_automation action=list).", "rule_id");

    static CrmError NotFound(string? id) => new(ErrorCodes.NotFound, $"No automation rule '{Cut(id ?? "")}' in this org; list the rules to find its id.", "rule_id");

    static string Cut(string text) => text.Length > 40 ? text[..40] + "…" : text;
}

/// <summary>What a dry run found: how many recent changes it read, and what the rule would do for the ones that trigger it.</summary>
public sealed record TestReport(string Rule, int ChangesRead, IReadOnlyList<TestRun> Runs)
{
    /// <summary>A scheduled rule's next fire from now (UTC).</summary>
    public DateTime? NextFireAt { get; init; }
}

public sealed record TestRun(long Seq, string RecordId, string Operation, RunOutcome Outcome);
