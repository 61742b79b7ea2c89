using RevOps.Domain.Automation;
using RevOps.Storage;

namespace RevOps.Server.Automation;

/// <summary>
/// Runs automation rules from the change log, never on the write path: wakes after every commit that
/// appended a change (or each second, for writes of other processes), turns new changes into runs
/// (<see cref="IAutomationStore.FollowAsync"/>), leases the due ones and runs each through
/// <see cref="AutomationExecutor"/>. A run cut off by a crash is leased again when its lease ends; its
/// actions' idempotency keys make the second attempt write nothing the first one wrote.
/// </summary>
public sealed partial class AutomationRunner(IAutomationStore store, StorageBackend storage, AutomationService service, AutomationExecutor executor, TimeProvider time,
    ILogger<AutomationRunner> logger) : BackgroundService
{
    static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    static readonly TimeSpan LeaseFor = TimeSpan.FromSeconds(30);
    const int FollowBatch = 500;
    const int ClaimBatch = 20;
    const int MaxAttempts = 5;

    /// <summary>When the last pass that looked at schedules and every due run began.</summary>
    DateTime _lastFullPass = DateTime.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        bool full = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            // Taken before looking, so a change committed while we work wakes the next wait.
            var changed = storage.Changes.NextAsync();
            bool again = false;
            try
            {
                again = await RunOnceAsync(full, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogFailed(e);
            }
            full = again;
            if (again) continue;
            try
            {
                // Woken by the poll rather than by a commit: look at schedules and retries too.
                full = await Task.WhenAny(changed, Task.Delay(Poll, time, stoppingToken)) != changed;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <summary>
    /// One pass; true when there may be more to do at once. A pass woken by a commit (not <paramref name="full"/>) within a poll of
    /// the last full one only follows the change log: a commit can make runs only through rules that follow it, and when none is
    /// behind there is nothing new to claim. Schedules, retries and runs other nodes made are looked at by full passes, at least
    /// once a poll as before. Without this, every durable write cost four reads here (issue 25).
    /// </summary>
    async Task<bool> RunOnceAsync(bool full, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        full |= now - _lastFullPass >= Poll || now < _lastFullPass;
        bool behind = await store.HasChangesToFollowAsync(ct);
        if (!full && !behind) return false;
        if (full)
        {
            _lastFullPass = now;
            await FireSchedulesAsync(now, ct);
        }
        if (behind) await store.FollowAsync(now, FollowBatch, LoopDepth.Max, ct);
        var claimed = await store.ClaimAsync(now, now + LeaseFor, ClaimBatch, ct);
        // In seq order: a record's runs see its changes in the order they were made.
        foreach (var run in claimed.OrderBy(r => r.Seq)) await RunAsync(run, ct);
        return claimed.Count == ClaimBatch || await store.HasChangesToFollowAsync(ct);
    }

    /// <summary>
    /// Turns every due fire of a scheduled rule into a run and moves the rule to its next fire (from now: fires
    /// missed while every node was down are not made up, one late fire runs). Several nodes may look at once; the
    /// store lets one of them make the run.
    /// </summary>
    async Task FireSchedulesAsync(DateTime now, CancellationToken ct)
    {
        foreach (var fire in await store.DueFiresAsync(now, ClaimBatch, ct))
        {
            var rule = await store.GetAsync(fire.Tenant, fire.RuleId, ct);
            if (rule is null) continue;
            var definition = await service.DefinitionAsync(rule, ct);
            // A rule that no longer fits the schema (a field it names was deleted) still fires, hourly: its run
            // fails and the log says why, until the rule is fixed or disabled.
            DateTime? next = definition.IsOk ? definition.Value.Trigger.Schedule?.Next(now) : now.AddHours(1);
            await store.FireAsync(rule, fire.Due, next, now, ct);
        }
    }

    async Task RunAsync(DueRun run, CancellationToken ct)
    {
        var at = time.GetUtcNow().UtcDateTime;
        RunOutcome outcome;
        try
        {
            outcome = await OutcomeAsync(run, at, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return; // shutting down: the lease lapses and the next start runs it again
        }
        catch (Exception e)
        {
            LogRunFailed(e, run.Id, run.Attempts);
            if (run.Attempts < MaxAttempts) return; // the lease lapses and it is tried again
            outcome = new RunOutcome(AutomationRun.Statuses.Failed, $"Gave up after {run.Attempts} attempts: {e.Message}", null);
        }
        if (outcome.Status == AutomationRun.Statuses.Pending) return; // over the tenant's limit: the lease lapses, it runs later
        await store.FinishAsync(run, outcome, time.GetUtcNow().UtcDateTime, CancellationToken.None);
    }

    async Task<RunOutcome> OutcomeAsync(DueRun run, DateTime at, CancellationToken ct)
    {
        var rule = await store.GetAsync(run.Tenant, run.RuleId, ct);
        if (rule is null) return new RunOutcome(AutomationRun.Statuses.Skipped, "The rule was deleted before this run.", null);
        if (!rule.Enabled) return new RunOutcome(AutomationRun.Statuses.Skipped, "The rule was disabled before this run.", null);
        if (await store.DoneSinceAsync(run.Tenant, at.AddMinutes(-1), ct) >= AutomationService.MaxRunsPerMinute)
            return new RunOutcome(AutomationRun.Statuses.Pending, null, null);
        var definition = await service.DefinitionAsync(rule, ct);
        if (!definition.IsOk) return new RunOutcome(AutomationRun.Statuses.Failed, "The rule no longer fits the schema: " + definition.Error!.Message, null);
        long turn = await store.DoneBeforeAsync(run.Tenant, rule.Id, run.Seq, ct);
        return await executor.RunAsync(rule, definition.Value, run, turn, dryRun: false, ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Automation pass failed; the next pass retries.")]
    partial void LogFailed(Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Automation run {Run} failed on attempt {Attempt}; its lease lapses and it runs again.")]
    partial void LogRunFailed(Exception error, string run, int attempt);
}
