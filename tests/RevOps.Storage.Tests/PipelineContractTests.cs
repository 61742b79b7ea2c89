using RevOps.Domain.Metadata;
using RevOps.Domain.Pipeline;

namespace RevOps.Storage.Tests;

/// <summary>IPipelineStore (StorageBackend.Pipeline) directly and through PipelineService: open by stage and month, won and lost in the period.</summary>
public sealed class PipelineContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static readonly ObjectMetadata Account = StandardObjects.Account;
    static readonly ObjectMetadata Opportunity = StandardObjects.Opportunity;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Backends]
    public async Task Summarize_Period_ExactBuckets(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var (account, _) = await SeedAsync(acme);

        var summary = await store.PipelineService.SummarizeAsync(acme.Caller, null, "2026-04-01", "2026-06-30", Ct);

        Assert.True(summary.IsOk, summary.IsOk ? "" : summary.Error.Message);
        var s = summary.Value;
        Assert.Equal(new PipelineBucket("Open", 3, 7000, 4700), s.Open);
        Assert.Equal([new PipelineBucket("Prospecting", 2, 2000, 200), new PipelineBucket("Negotiation/Review", 1, 5000, 4500)], s.ByStage);
        Assert.Equal([new PipelineBucket("2026-05", 1, 1000, 100), new PipelineBucket("2026-06", 1, 5000, 4500), new PipelineBucket("2026-09", 1, 1000, 100)], s.ByCloseMonth);
        Assert.Equal(new PipelineBucket("Won", 1, 2000, 2000), s.Won);
        Assert.Equal(new PipelineBucket("Lost", 1, 700, 0), s.Lost);
        Assert.Null(s.AccountId);
        Assert.NotNull(account);
    }

    [Theory, Backends]
    public async Task Summarize_OneAccount_CountsOnlyItsOpportunities(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var (account, _) = await SeedAsync(acme);

        var figures = await store.Backend.Pipeline.SummarizeAsync(acme.Id, new PipelineFilter(account.Id), new DateOnly(2026, 4, 1), new DateOnly(2026, 6, 30), Ct);

        Assert.Equal([new PipelineBucket("Negotiation/Review", 1, 5000, 4500)], figures.OpenByStage);
        Assert.Equal([new PipelineBucket("2026-06", 1, 5000, 4500)], figures.OpenByCloseMonth);
        Assert.Equal(new PipelineBucket("Won", 1, 2000, 2000), figures.Won);
        Assert.Equal(new PipelineBucket("Lost", 0, 0, 0), figures.Lost);
    }

    [Theory, Backends]
    public async Task Summarize_OtherTenant_SeesAnEmptyPipeline(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var (account, _) = await SeedAsync(acme);

        var figures = await store.Backend.Pipeline.SummarizeAsync(globex.Id, new PipelineFilter(), new DateOnly(2000, 1, 1), new DateOnly(2100, 1, 1), Ct);
        var byAccount = await store.PipelineService.SummarizeAsync(globex.Caller, account.Id, null, null, Ct);

        Assert.Empty(figures.OpenByStage);
        Assert.Empty(figures.OpenByCloseMonth);
        Assert.Equal(new PipelineBucket("Won", 0, 0, 0), figures.Won);
        Assert.Equal(new PipelineBucket("Lost", 0, 0, 0), figures.Lost);
        Assert.False(byAccount.IsOk);
        Assert.Equal("NOT_FOUND", byAccount.Error.Code);
    }

    [Theory, Backends]
    public async Task Summarize_CloseWindowOwnerAndStages_NarrowEveryBucket(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        await SeedAsync(acme);

        var may = await store.Backend.Pipeline.SummarizeAsync(acme.Id, new PipelineFilter(CloseFrom: new DateOnly(2026, 5, 1), CloseTo: new DateOnly(2026, 6, 30)),
            new DateOnly(2026, 5, 1), new DateOnly(2026, 6, 30), Ct);
        Assert.Equal([new PipelineBucket("Prospecting", 1, 1000, 100), new PipelineBucket("Negotiation/Review", 1, 5000, 4500)], may.OpenByStage.OrderBy(b => b.Amount));
        Assert.Equal(new PipelineBucket("Lost", 1, 700, 0), may.Lost);
        Assert.Equal(new PipelineBucket("Won", 0, 0, 0), may.Won);

        var stages = await store.Backend.Pipeline.SummarizeAsync(acme.Id, new PipelineFilter(Stages: ["Negotiation/Review", "Closed Won"]),
            new DateOnly(2000, 1, 1), new DateOnly(2100, 1, 1), Ct);
        Assert.Equal([new PipelineBucket("Negotiation/Review", 1, 5000, 4500)], stages.OpenByStage);
        Assert.Equal(new PipelineBucket("Won", 2, 11999, 11999), stages.Won);

        var nobody = await store.Backend.Pipeline.SummarizeAsync(acme.Id, new PipelineFilter(OwnerId: "005000000000000AAA"), new DateOnly(2000, 1, 1), new DateOnly(2100, 1, 1), Ct);
        Assert.Empty(nobody.OpenByStage);
        var mine = await store.Backend.Pipeline.SummarizeAsync(acme.Id, new PipelineFilter(OwnerId: acme.Caller.ActorId), new DateOnly(2000, 1, 1), new DateOnly(2100, 1, 1), Ct);
        Assert.Equal(3, mine.OpenByStage.Sum(b => b.Count));
    }

    /// <summary>
    /// Open: Prospecting 1000 (May), Prospecting 1000 (September), Negotiation/Review 5000 (June, the account's);
    /// Closed Won 2000 (April, the account's) and 9999 (2025, outside); Closed Lost 700 (May); one deleted open deal.
    /// </summary>
    static async Task<(Record Account, Record Deleted)> SeedAsync(TestTenant tenant)
    {
        var account = await tenant.CreateAsync(Account, """{"Name":"Pipeline Co"}""", Ct);
        await tenant.CreateAsync(Opportunity, """{"Name":"P1","StageName":"Prospecting","CloseDate":"2026-05-10","Amount":1000}""", Ct);
        await tenant.CreateAsync(Opportunity, """{"Name":"P2","StageName":"Prospecting","CloseDate":"2026-09-10","Amount":1000}""", Ct);
        await tenant.CreateAsync(Opportunity, $$"""{"Name":"N1","StageName":"Negotiation/Review","CloseDate":"2026-06-20","Amount":5000,"AccountId":"{{account.Id}}"}""", Ct);
        await tenant.CreateAsync(Opportunity, $$"""{"Name":"W1","StageName":"Closed Won","CloseDate":"2026-04-15","Amount":2000,"AccountId":"{{account.Id}}"}""", Ct);
        await tenant.CreateAsync(Opportunity, """{"Name":"W0","StageName":"Closed Won","CloseDate":"2025-01-15","Amount":9999}""", Ct);
        await tenant.CreateAsync(Opportunity, """{"Name":"L1","StageName":"Closed Lost","CloseDate":"2026-05-01","Amount":700}""", Ct);
        var deleted = await tenant.CreateAsync(Opportunity, """{"Name":"D1","StageName":"Prospecting","CloseDate":"2026-05-20","Amount":123456}""", Ct);
        Assert.True((await tenant.Store.RecycleBin.DeleteAsync(tenant.Caller, Opportunity, deleted.Id, dryRun: false, Ct)).IsOk);
        return (account, deleted);
    }
}
