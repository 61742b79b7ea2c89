using RevOps.Domain.Changes;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Automation;

/// <summary>
/// Rules, the per-tenant cursor into the change log and the execution log. Runs are made from the change
/// log after the cursor and the cursor moved in one transaction, and leased before they run, so every
/// matching change gets one run however many nodes follow the log and whatever crashes between.
/// </summary>
public interface IAutomationStore
{
    /// <summary>Stores a new rule; it sees changes committed after this.</summary>
    Task CreateAsync(AutomationRule rule, CancellationToken ct);

    Task<IReadOnlyList<AutomationRule>> ListAsync(TenantId tenant, CancellationToken ct);

    Task<AutomationRule?> GetAsync(TenantId tenant, string id, CancellationToken ct);

    /// <summary>Replaces name, object, trigger, definition and enabled; <paramref name="fromNow"/> makes it see only changes committed after this (enabling again).</summary>
    Task<bool> UpdateAsync(AutomationRule rule, bool fromNow, CancellationToken ct);

    /// <summary>Deletes the rule; its runs stay in the log.</summary>
    Task<bool> DeleteAsync(TenantId tenant, string id, CancellationToken ct);

    /// <summary>The execution log, newest first.</summary>
    Task<IReadOnlyList<AutomationRun>> RunsAsync(TenantId tenant, string? ruleId, string? status, int limit, CancellationToken ct);

    /// <summary>The object's last <paramref name="limit"/> changes, newest first (for dry runs).</summary>
    Task<IReadOnlyList<ChangeRow>> RecentChangesAsync(TenantId tenant, string obj, int limit, CancellationToken ct);

    /// <summary>How many of the rule's runs before <paramref name="seq"/> were done: the turn of a round-robin assignment, the same on every replay.</summary>
    Task<long> DoneBeforeAsync(TenantId tenant, string ruleId, long seq, CancellationToken ct);

    /// <summary>Any tenant with enabled rules whose cursor is behind its change log.</summary>
    Task<bool> HasChangesToFollowAsync(CancellationToken ct);

    /// <summary>Turns changes after each tenant's cursor into runs of the rules they trigger and moves the cursor; returns the runs made.</summary>
    Task<int> FollowAsync(DateTime now, int limit, int maxDepth, CancellationToken ct);

    /// <summary>Scheduled rules (of any tenant) whose next fire is due.</summary>
    Task<IReadOnlyList<DueFire>> DueFiresAsync(DateTime now, int limit, CancellationToken ct);

    /// <summary>
    /// Makes the fire at <paramref name="due"/> a pending run and moves the rule's next fire to <paramref name="next"/>,
    /// in one transaction and only while the rule's next fire is still <paramref name="due"/>: false when another node
    /// fired it first.
    /// </summary>
    Task<bool> FireAsync(AutomationRule rule, DateTime due, DateTime? next, DateTime now, CancellationToken ct);

    /// <summary>Leases pending runs that are due (of any tenant), oldest change first.</summary>
    Task<IReadOnlyList<DueRun>> ClaimAsync(DateTime now, DateTime leaseUntil, int limit, CancellationToken ct);

    /// <summary>Records the outcome of a leased run (only while the lease is still this one's).</summary>
    Task FinishAsync(DueRun run, RunOutcome outcome, DateTime at, CancellationToken ct);

    /// <summary>How many runs of the tenant finished as done since <paramref name="since"/> (the actions-per-minute limit).</summary>
    Task<int> DoneSinceAsync(TenantId tenant, DateTime since, CancellationToken ct);
}

/// <summary>A scheduled rule whose fire at <paramref name="Due"/> (UTC) has come.</summary>
public sealed record DueFire(TenantId Tenant, string RuleId, DateTime Due);
