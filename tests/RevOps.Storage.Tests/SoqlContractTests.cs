using System.Text.Json;
using RevOps.Domain.Metadata;
using RevOps.Domain.Soql;

namespace RevOps.Storage.Tests;

/// <summary>ISoqlStore (StorageBackend.Soql) through SoqlService: parent paths, child subqueries, aggregates, paging, per tenant.</summary>
public sealed class SoqlContractTests(BackendFixture backends) : IClassFixture<BackendFixture>
{
    static readonly ObjectMetadata Account = StandardObjects.Account;
    static readonly ObjectMetadata Contact = StandardObjects.Contact;
    static readonly ObjectMetadata Opportunity = StandardObjects.Opportunity;
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, Backends]
    public async Task Query_ParentPath_FiltersAndReturnsTheParentsFields(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var (account, _) = await SeedAsync(acme);

        var page = await QueryAsync(store, acme, "SELECT LastName, Account.Name, Account.Industry FROM Contact WHERE Account.Name = 'Acme Corp' ORDER BY LastName");

        Assert.Equal(2, page.TotalSize);
        Assert.False(page.IsAggregate);
        Assert.Equal(["Hopper", "Lovelace"], page.Records.Select(r => (string)Field(r, "LastName")!));
        var parent = Assert.IsType<SoqlRow>(Field(page.Records[0], "Account"));
        Assert.Equal("Account", parent.Object);
        Assert.Equal("Acme Corp", Field(parent, "Name"));
        Assert.Equal("Energy", Field(parent, "Industry"));
        Assert.All(page.Records, r => Assert.Equal("Contact", r.Object));
        Assert.Equal(account.Id, (await QueryAsync(store, acme, "SELECT Id FROM Account WHERE Name = 'Acme Corp'")).Records.Single().Id);
    }

    [Theory, Backends]
    public async Task Query_ChildSubquery_NestsTheChildren(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        await SeedAsync(acme);

        var page = await QueryAsync(store, acme, "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name");

        Assert.Equal(["Acme Corp", "Initech"], page.Records.Select(r => (string)Field(r, "Name")!));
        var children = Assert.IsType<SoqlChildren>(Field(page.Records[0], "Contacts"));
        Assert.Equal(2, children.TotalSize);
        Assert.Equal(["Hopper", "Lovelace"], children.Records.Select(r => (string)Field(r, "LastName")!));
        Assert.Null(Field(page.Records[1], "Contacts"));
    }

    [Theory, Backends]
    public async Task Query_GroupByAggregates_ExactSumsAndCounts(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        await SeedAsync(acme);

        var page = await QueryAsync(store, acme, "SELECT StageName, COUNT(Id), SUM(Amount) total, MAX(CloseDate) latest FROM Opportunity GROUP BY StageName ORDER BY StageName");

        Assert.True(page.IsAggregate);
        Assert.Equal(2, page.TotalSize);
        Assert.Equal(["StageName", "expr0", "total", "latest"], page.Records[0].Fields.Select(f => f.Key));
        Assert.Equal([("Closed Won", 1L, 2500.5d, new DateOnly(2026, 3, 1)), ("Prospecting", 2L, 1500d, new DateOnly(2026, 6, 30))],
            page.Records.Select(r => ((string)Field(r, "StageName")!, (long)Field(r, "expr0")!, (double)Field(r, "total")!, (DateOnly)Field(r, "latest")!)));
        Assert.Null(page.Records[0].Object);
    }

    [Theory, Backends]
    public async Task Query_CountOnlyAndPaging_ReturnTotalsAndTheAskedRows(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        await SeedAsync(acme);

        var count = await QueryAsync(store, acme, "SELECT COUNT() FROM Contact");
        var paged = await store.SoqlService.QueryAsync(acme.Caller, "SELECT LastName FROM Contact ORDER BY LastName", includeDeleted: false, offset: 1, pageSize: 1, Ct);

        Assert.True(count.IsCountOnly);
        Assert.Equal(3, count.TotalSize);
        Assert.Equal(3, paged.Value.TotalSize);
        Assert.Equal(["Lovelace"], paged.Value.Records.Select(r => (string)Field(r, "LastName")!));
    }

    [Theory, Backends]
    public async Task Query_CustomField_FiltersAndSelectsIt(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        Assert.True((await store.Schemas.DefineAsync(acme.Caller, new Domain.Schema.CustomFieldSpec("Account", "Tier__c", "Picklist", Values: ["Gold", "Silver"]), Ct)).IsOk);
        await acme.CreateAsync(Account, """{"Name":"Goldie","Tier__c":"Gold"}""", Ct);
        await acme.CreateAsync(Account, """{"Name":"Silvie","Tier__c":"Silver"}""", Ct);

        var page = await QueryAsync(store, acme, "SELECT Name, Tier__c FROM Account WHERE Tier__c = 'Gold'");

        var row = Assert.Single(page.Records);
        Assert.Equal("Goldie", Field(row, "Name"));
        Assert.Equal("Gold", Assert.IsType<JsonElement>(Field(row, "Tier__c")).GetString());
    }

    [Theory, Backends]
    public async Task Query_OtherTenantsRows_NeverReturned(string kind)
    {
        var store = await backends.SharedAsync(kind);
        var acme = await store.NewTenantAsync("Acme", Ct);
        var globex = await store.NewTenantAsync("Globex", Ct);
        await SeedAsync(acme);
        await globex.CreateAsync(Contact, """{"LastName":"Globex only"}""", Ct);

        var contacts = await QueryAsync(store, globex, "SELECT LastName, Account.Name FROM Contact");
        var sums = await QueryAsync(store, globex, "SELECT COUNT(Id), SUM(Amount) FROM Opportunity");
        var parents = await QueryAsync(store, globex, "SELECT LastName FROM Contact WHERE Account.Name = 'Acme Corp'");

        Assert.Equal(["Globex only"], contacts.Records.Select(r => (string)Field(r, "LastName")!));
        Assert.Null(Field(contacts.Records[0], "Account"));
        Assert.Equal(0L, Field(Assert.Single(sums.Records), "expr0"));
        Assert.Null(Field(sums.Records[0], "expr1"));
        Assert.Equal(0, parents.TotalSize);
    }

    /// <summary>Acme Corp (two contacts, three opportunities), Initech (no contacts), one contact without an account.</summary>
    static async Task<(Record Account, Record Initech)> SeedAsync(TestTenant tenant)
    {
        var acme = await tenant.CreateAsync(Account, """{"Name":"Acme Corp","Industry":"Energy"}""", Ct);
        var initech = await tenant.CreateAsync(Account, """{"Name":"Initech","Industry":"Banking"}""", Ct);
        await tenant.CreateAsync(Contact, $$"""{"LastName":"Lovelace","AccountId":"{{acme.Id}}"}""", Ct);
        await tenant.CreateAsync(Contact, $$"""{"LastName":"Hopper","AccountId":"{{acme.Id}}"}""", Ct);
        await tenant.CreateAsync(Contact, """{"LastName":"Orphan"}""", Ct);
        await tenant.CreateAsync(Opportunity, $$"""{"Name":"Big","StageName":"Prospecting","CloseDate":"2026-06-30","Amount":1000,"AccountId":"{{acme.Id}}"}""", Ct);
        await tenant.CreateAsync(Opportunity, $$"""{"Name":"Small","StageName":"Prospecting","CloseDate":"2026-05-15","Amount":500,"AccountId":"{{acme.Id}}"}""", Ct);
        await tenant.CreateAsync(Opportunity, $$"""{"Name":"Won","StageName":"Closed Won","CloseDate":"2026-03-01","Amount":2500.5,"AccountId":"{{acme.Id}}"}""", Ct);
        return (acme, initech);
    }

    static async Task<SoqlPage> QueryAsync(TestStore store, TestTenant tenant, string soql)
    {
        var result = await store.SoqlService.QueryAsync(tenant.Caller, soql, includeDeleted: false, offset: 0, pageSize: 2000, Ct);
        Assert.True(result.IsOk, result.IsOk ? "" : result.Error.Message);
        return result.Value;
    }

    static object? Field(SoqlRow row, string name) => row.Fields.Single(f => f.Key == name).Value;
}
