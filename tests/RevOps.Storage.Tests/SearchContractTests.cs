using RevOps.Domain.Metadata;
using RevOps.Domain.Search;

namespace RevOps.Storage.Tests;

/// <summary>ISearchStore (StorageBackend.Search) through SearchService: indexed in the write's commit, kept current, per tenant.</summary>
public sealed class SearchContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static readonly ObjectMetadata Account = StandardObjects.Account;
    static readonly ObjectMetadata Contact = StandardObjects.Contact;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Backends]
    public async Task Search_AfterCommit_FindsTheRecordWithItsFields(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var account = await acme.CreateAsync(Account, """{"Name":"Zephyrine Dynamics","BillingCity":"Bergen","Website":"https://zephyrine.test"}""", Ct);
        var contact = await acme.CreateAsync(Contact, $$"""{"FirstName":"Ada","LastName":"Quillfeather","Email":"ada@zephyrine.test","Title":"CTO","AccountId":"{{account.Id}}"}""", Ct);

        var byName = await SearchAsync(store, acme, "Quillfeather");
        var byCompany = await SearchAsync(store, acme, "zephyrine");

        var hit = Assert.Single(byName.Records);
        Assert.Equal(1, byName.TotalSize);
        Assert.Equal("Name", hit.MatchedField);
        Assert.Equal(new SearchHit("Contact", contact.Id, "Ada Quillfeather", "ada@zephyrine.test", null, null, "Zephyrine Dynamics", "CTO", null, null, null, null), hit.Hit);
        Assert.Equal(2, byCompany.TotalSize);
        Assert.Equal([account.Id, contact.Id], byCompany.Records.Select(r => r.Hit.Id).Order(StringComparer.Ordinal));
        Assert.Equal("Bergen", byCompany.Records.Single(r => r.Hit.Object == "Account").Hit.City);
    }

    [Theory, Backends]
    public async Task Search_AfterUpdateAndDelete_FollowsTheRecord(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var account = await acme.CreateAsync(Account, """{"Name":"Brightwater Holdings"}""", Ct);

        await acme.UpdateAsync(Account, account.Id, """{"Name":"Stillwater Holdings"}""", Ct);
        var oldName = await SearchAsync(store, acme, "Brightwater");
        var newName = await SearchAsync(store, acme, "Stillwater");
        Assert.True((await store.RecycleBin.DeleteAsync(acme.Caller, Account, account.Id, dryRun: false, Ct)).IsOk);
        var deleted = await SearchAsync(store, acme, "Stillwater");

        Assert.Equal(0, oldName.TotalSize);
        Assert.Equal([account.Id], newName.Records.Select(r => r.Hit.Id));
        Assert.Equal(0, deleted.TotalSize);
        Assert.Empty(deleted.Records);
    }

    [Theory, Backends]
    public async Task Search_ObjectsAndPaging_LimitTheHits(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        for (int i = 1; i <= 3; i++)
            await acme.CreateAsync(Contact, $$"""{"LastName":"Marbleton {{i}}"}""", Ct);
        await acme.CreateAsync(Account, """{"Name":"Marbleton Ltd"}""", Ct);

        var contactsOnly = await store.SearchService.SearchAsync(acme.Caller, "marbleton", ["Contact"], 25, Ct);
        var page = await store.SearchService.SearchAsync(acme.Caller, "marbleton", null, 2, Ct, offset: 2);

        Assert.Equal(3, contactsOnly.Value.TotalSize);
        Assert.All(contactsOnly.Value.Records, r => Assert.Equal("Contact", r.Hit.Object));
        Assert.Equal(4, page.Value.TotalSize);
        Assert.Equal(2, page.Value.Records.Count);
        Assert.Null(page.Value.NextOffset);
    }

    [Theory, Backends]
    public async Task Search_OtherTenantsRecords_NeverFound(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        var account = await acme.CreateAsync(Account, """{"Name":"Quasarium Labs"}""", Ct);

        var theirs = await SearchAsync(store, globex, "Quasarium");
        var direct = await store.Backend.Search.SearchAsync(globex.Id, SearchTerms.Parse("Quasarium").Value, SearchService.Searchable, 25, 0, Ct);

        Assert.Equal(0, theirs.TotalSize);
        Assert.Empty(direct.Hits);
        Assert.Equal([account.Id], (await SearchAsync(store, acme, "Quasarium")).Records.Select(r => r.Hit.Id));
    }

    static async Task<SearchResult> SearchAsync(TestStore store, TestTenant tenant, string text)
    {
        var result = await store.SearchService.SearchAsync(tenant.Caller, text, null, 25, Ct);
        Assert.True(result.IsOk, result.IsOk ? "" : result.Error.Message);
        return result.Value;
    }
}
