using RevOps.Domain.Automation;
using RevOps.Domain.Metadata;

namespace RevOps.Storage.Tests;

/// <summary>
/// Automation (IAutomationStore): changes after the cursor become one run per triggered rule however many
/// followers run at once, a run is leased and not claimed again until the lease ends, an outcome needs the
/// lease it was claimed with, loop depth comes from the change. The runner reads every tenant, so each test
/// opens a database of its own.
/// </summary>
public sealed class AutomationContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static readonly ObjectMetadata Account = StandardObjects.Account;
    static readonly ObjectMetadata Contact = StandardObjects.Contact;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly DateTime T0 = DateTime.UnixEpoch.AddSeconds(Math.Floor((DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds));

    static async Task<AutomationRule> NewContactRuleAsync(TestStore store, TestTenant tenant, string name = "Welcome")
    {
        var rule = new AutomationRule("rule_" + name, tenant.Id, name, "Contact", new RuleTrigger(RuleTrigger.Created, []), "{}", true, tenant.User.Id, T0, T0);
        await store.Backend.Automation.CreateAsync(rule, Ct);
        return rule;
    }

    [Theory, Backends]
    public async Task Follow_ThreeFollowersAtOnce_MakeOneRunPerTriggeringChange_AfterTheRuleOnly(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        await acme.CreateAsync(Contact, """{"LastName":"Before the rule"}""", Ct);
        var rule = await NewContactRuleAsync(store, acme);
        await acme.CreateAsync(Account, """{"Name":"Not a contact"}""", Ct);
        var ada = await acme.CreateAsync(Contact, """{"LastName":"Lovelace"}""", Ct);
        var grace = await acme.CreateAsync(Contact, """{"LastName":"Hopper"}""", Ct);
        await acme.UpdateAsync(Contact, ada.Id, """{"Title":"Countess"}""", Ct);

        Assert.True(await store.Backend.Automation.HasChangesToFollowAsync(Ct));
        var made = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => store.Backend.Automation.FollowAsync(T0, 100, LoopDepth.Max, Ct)));
        Assert.Equal(2, made.Sum());
        Assert.False(await store.Backend.Automation.HasChangesToFollowAsync(Ct));

        var runs = await store.Backend.Automation.RunsAsync(acme.Id, rule.Id, null, 10, Ct);
        Assert.Equal([(4L, grace.Id), (3L, ada.Id)], runs.Select(r => (r.Seq, r.RecordId)));
        Assert.All(runs, r => Assert.Equal((AutomationRun.Statuses.Pending, 1, 0, "created"), (r.Status, r.Depth, r.Attempts, r.Operation)));
    }

    [Theory, Backends]
    public async Task Fire_TwoNodesAtOnce_MakeOneRunPerFire_AndMoveTheRuleToItsNextFire(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var other = await store.NewTenantAsync("Other", Ct);
        var automation = store.Backend.Automation;
        var due = T0.AddSeconds(-T0.Second);
        var rule = new AutomationRule("rule_weekly", acme.Id, "Weekly", "Opportunity", new RuleTrigger(RuleTrigger.Scheduled, []), "{}", true, acme.User.Id, T0, T0)
        { NextFireAt = due };
        await automation.CreateAsync(rule, Ct);
        await automation.CreateAsync(rule with { Id = "rule_off", Name = "Off", Enabled = false }, Ct);
        await automation.CreateAsync(rule with { Tenant = other.Id, NextFireAt = due.AddHours(1) }, Ct);

        Assert.Empty(await automation.DueFiresAsync(due.AddSeconds(-1), 10, Ct));
        var fire = Assert.Single(await automation.DueFiresAsync(due.AddSeconds(5), 10, Ct));
        Assert.Equal((acme.Id, "rule_weekly", due), (fire.Tenant, fire.RuleId, fire.Due));

        var fired = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => automation.FireAsync(rule, due, due.AddDays(7), due.AddSeconds(5), Ct)));
        Assert.Equal(1, fired.Count(f => f));
        var run = Assert.Single(await automation.RunsAsync(acme.Id, rule.Id, null, 10, Ct));
        Assert.Equal((new DateTimeOffset(due).ToUnixTimeSeconds(), "", AutomationRun.ScheduledOperation, AutomationRun.Statuses.Pending),
            (run.Seq, run.RecordId, run.Operation, run.Status));
        Assert.Equal(due.AddDays(7), (await automation.GetAsync(acme.Id, rule.Id, Ct))!.NextFireAt);
        Assert.Empty(await automation.DueFiresAsync(due.AddSeconds(5), 10, Ct));
        Assert.Empty(await automation.RunsAsync(other.Id, rule.Id, null, 10, Ct));
    }

    [Theory, Backends]
    public async Task Claim_LeasedRun_NotClaimedAgainUntilTheLeaseEnds_AndOnlyTheLeaseHolderFinishesIt(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var rule = await NewContactRuleAsync(store, acme);
        var ada = await acme.CreateAsync(Contact, """{"LastName":"Lovelace"}""", Ct);
        await store.Backend.Automation.FollowAsync(T0, 100, LoopDepth.Max, Ct);
        var automation = store.Backend.Automation;

        var first = Assert.Single(await automation.ClaimAsync(T0, T0.AddSeconds(30), 10, Ct));
        Assert.Empty(await automation.ClaimAsync(T0.AddSeconds(29), T0.AddSeconds(59), 10, Ct));
        var second = Assert.Single(await automation.ClaimAsync(T0.AddSeconds(31), T0.AddSeconds(61), 10, Ct));
        Assert.Equal((acme.Id, rule.Id, ada.Id, 1, 2), (first.Tenant, first.RuleId, first.RecordId, first.Attempts, second.Attempts));
        Assert.Contains("LastName", first.Changes);

        await automation.FinishAsync(first, new RunOutcome(AutomationRun.Statuses.Done, null, "[]"), T0.AddSeconds(32), Ct);
        Assert.Equal(AutomationRun.Statuses.Pending, Assert.Single(await automation.RunsAsync(acme.Id, null, null, 10, Ct)).Status);
        Assert.Equal(0, await automation.DoneBeforeAsync(acme.Id, rule.Id, long.MaxValue, Ct));

        await automation.FinishAsync(second, new RunOutcome(AutomationRun.Statuses.Done, null, "[]"), T0.AddSeconds(33), Ct);
        var done = Assert.Single(await automation.RunsAsync(acme.Id, null, AutomationRun.Statuses.Done, 10, Ct));
        Assert.Equal((2, T0.AddSeconds(33)), (done.Attempts, done.FinishedAt));
        Assert.Equal(1, await automation.DoneBeforeAsync(acme.Id, rule.Id, long.MaxValue, Ct));
        Assert.Equal(1, await automation.DoneSinceAsync(acme.Id, T0, Ct));
        Assert.Empty(await automation.ClaimAsync(T0.AddSeconds(120), T0.AddSeconds(150), 10, Ct));
    }

    [Theory, Backends]
    public async Task Follow_AChangeByARuleAtDepth3_LogsAStoppedRun_AndOtherTenantsSeeNothing(string kind)
    {
        await using var store = await backends.FreshAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var rule = await NewContactRuleAsync(store, acme);
        var asRule = acme.Caller with { Channel = LoopDepth.Channel, RequestId = LoopDepth.RequestId(rule.Id, 1, 3) };
        Assert.True((await store.RecordService.CreateAsync(asRule, Contact, TestStore.Input("""{"LastName":"Deep"}"""), Ct)).IsOk);
        await globex.CreateAsync(Contact, """{"LastName":"Elsewhere"}""", Ct);

        await store.Backend.Automation.FollowAsync(T0, 100, LoopDepth.Max, Ct);
        var run = Assert.Single(await store.Backend.Automation.RunsAsync(acme.Id, null, null, 10, Ct));
        Assert.Equal((AutomationRun.Statuses.Stopped, 4), (run.Status, run.Depth));
        Assert.StartsWith("Loop protection", run.Error);
        Assert.Empty(await store.Backend.Automation.RunsAsync(globex.Id, null, null, 10, Ct));
        Assert.Empty(await store.Backend.Automation.ClaimAsync(T0, T0.AddSeconds(30), 10, Ct));
    }
}
