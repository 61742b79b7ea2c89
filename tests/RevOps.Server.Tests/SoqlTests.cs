using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RevOps.Domain.Schema;
using RevOps.Domain.Soql;
using RevOps.Storage.Soql;

namespace RevOps.Server.Tests;

/// <summary>soql_query on the real server: every operator, paths, subqueries, aggregates, ordering, paging, deletes, isolation and injection.</summary>
public sealed partial class SoqlTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    /// <summary>Ids of the standard data set, by a short name.</summary>
    sealed class Data(TestTenant tenant) : Dictionary<string, string>
    {
        public TestTenant Tenant { get; } = tenant;
    }

    static async Task<string> CreateAsync(TestTenant tenant, string obj, object fields) =>
        (await tenant.CallOkAsync("create_record", new { @object = obj, fields })).Str("Id");

    static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd");

    async Task<Data> SeedAsync(string name)
    {
        var tenant = await server.CreateTenantAsync(name);
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Tier__c", type = "Text", length = 40 });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Regions__c", type = "MultiPicklist", values = new[] { "AMER", "EMEA", "APAC" } });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Renewal__c", type = "Date" });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Last_Sync__c", type = "DateTime" });
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Score__c", type = "Number", precision = 5, scale = 1 });
        var d = new Data(tenant);
        d["acme"] = await CreateAsync(tenant, "Account", new Dictionary<string, object>
        {
            ["Name"] = "Acme", ["Industry"] = "Technology", ["AnnualRevenue"] = 1000000, ["NumberOfEmployees"] = 50,
            ["Tier__c"] = "Gold", ["Regions__c"] = "AMER;EMEA", ["Renewal__c"] = Day(10), ["Last_Sync__c"] = "2026-01-15T10:00:00Z", ["Score__c"] = 7.5,
        });
        d["beta"] = await CreateAsync(tenant, "Account", new Dictionary<string, object>
        {
            ["Name"] = "beta corp", ["Industry"] = "Finance", ["NumberOfEmployees"] = 10,
            ["Tier__c"] = "silver", ["Regions__c"] = "APAC", ["Renewal__c"] = Day(-40), ["Last_Sync__c"] = "2026-02-01T00:00:00Z", ["Score__c"] = 3,
        });
        d["gamma"] = await CreateAsync(tenant, "Account", new { Name = "Gamma", ParentId = d["acme"] });
        d["ada"] = await CreateAsync(tenant, "Contact", new { FirstName = "Ada", LastName = "Lovelace", Email = "ada@acme.test", Phone = "+1 (555) 0100", AccountId = d["acme"], Title = "CTO" });
        d["grace"] = await CreateAsync(tenant, "Contact", new { FirstName = "Grace", LastName = "Hopper", AccountId = d["acme"], Title = "cto" });
        d["linus"] = await CreateAsync(tenant, "Contact", new { LastName = "Torvalds", AccountId = d["gamma"] });
        d["orphan"] = await CreateAsync(tenant, "Contact", new { LastName = "Orphan" });
        d["lise"] = await CreateAsync(tenant, "Lead", new { FirstName = "Lise", LastName = "Meitner", Company = "Physics Ltd" });
        d["big"] = await CreateAsync(tenant, "Opportunity", new { Name = "Big deal", StageName = "Prospecting", CloseDate = Day(0), Amount = 100, AccountId = d["acme"] });
        d["small"] = await CreateAsync(tenant, "Opportunity", new { Name = "Small deal", StageName = "Prospecting", CloseDate = Day(-10), Amount = 50, AccountId = d["acme"] });
        d["won"] = await CreateAsync(tenant, "Opportunity", new { Name = "Won deal", StageName = "Closed Won", CloseDate = Day(-400), Amount = 300, AccountId = d["beta"] });
        d["loose"] = await CreateAsync(tenant, "Opportunity", new { Name = "Loose deal", StageName = "Qualification", CloseDate = Day(40) });
        d["callAda"] = await CreateAsync(tenant, "Task", new { Subject = "Call Ada", WhoId = d["ada"], WhatId = d["acme"] });
        d["emailLise"] = await CreateAsync(tenant, "Task", new { Subject = "Email Lise", WhoId = d["lise"] });
        d["prep"] = await CreateAsync(tenant, "Task", new { Subject = "Prep deck", WhatId = d["big"] });
        return d;
    }

    static async Task<JsonElement> QueryAsync(TestTenant tenant, string soql, object? extra = null)
    {
        var args = new Dictionary<string, object?> { ["query"] = soql };
        if (extra is not null)
            foreach (var (key, value) in Mcp.Arguments(extra)) args[key] = value;
        return await tenant.CallOkAsync("soql_query", args);
    }

    static async Task<string[]> NamesAsync(TestTenant tenant, string soql, string field = "Name") =>
        (await QueryAsync(tenant, soql)).GetProperty("records").EnumerateArray().Select(r => r.GetProperty(field).GetString()!).ToArray();

    static async Task<string[]> SortedNamesAsync(TestTenant tenant, string soql, string field = "Name") =>
        (await NamesAsync(tenant, soql, field)).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task SoqlQuery_EveryOperator_FiltersExactly()
    {
        var d = await SeedAsync("soql operators");
        var t = d.Tenant;
        Assert.Equal(["Acme"], await NamesAsync(t, "SELECT Name FROM Account WHERE Name = 'ACME'"));
        Assert.Equal(["Gamma", "beta corp"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE Name != 'acme'"));
        Assert.Equal(["Gamma", "beta corp"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE Name <> 'Acme'"));
        // != is also true where the field is null (Gamma has no Industry).
        Assert.Equal(["Acme", "Gamma"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE Industry != 'finance'"));
        Assert.Equal(["Gamma"], await NamesAsync(t, "SELECT Name FROM Account WHERE Industry = null"));
        Assert.Equal(["Acme", "beta corp"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE Industry != NULL"));
        Assert.Equal(["Acme"], await NamesAsync(t, "SELECT Name FROM Account WHERE NumberOfEmployees > 10"));
        Assert.Equal(["Acme", "beta corp"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE NumberOfEmployees >= 10"));
        Assert.Equal(["beta corp"], await NamesAsync(t, "SELECT Name FROM Account WHERE NumberOfEmployees < 50"));
        Assert.Equal(["Acme", "beta corp"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE NumberOfEmployees <= 50.0"));
        Assert.Equal(["Small deal"], await NamesAsync(t, "SELECT Name FROM Opportunity WHERE Amount < 99.5 AND Amount > -1"));
        Assert.Equal(["Acme", "beta corp"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE Name LIKE '%c%'"));
        Assert.Equal(["beta corp"], await NamesAsync(t, "SELECT Name FROM Account WHERE Name LIKE 'BETA_c%'"));
        Assert.Equal(["Gamma"], await NamesAsync(t, "SELECT Name FROM Account WHERE (NOT Name LIKE '%c%')"));
        Assert.Equal(["Acme", "Gamma"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE Name IN ('acme', 'GAMMA', 'nobody')"));
        Assert.Equal(["beta corp"], await NamesAsync(t, "SELECT Name FROM Account WHERE Name NOT IN ('acme', 'GAMMA')"));
        Assert.Equal(["Acme", "Gamma"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE Industry IN ('technology', null)"));
        Assert.Equal(["beta corp"], await NamesAsync(t, "SELECT Name FROM Account WHERE Industry NOT IN ('Technology', null)"));
        Assert.Equal(["Prospecting", "Prospecting"], await NamesAsync(t, "SELECT StageName FROM Opportunity WHERE StageName = 'prospecting'", "StageName"));
        Assert.Equal(["Big deal", "Won deal"], await SortedNamesAsync(t, "SELECT Name FROM Opportunity WHERE IsClosed = TRUE OR Amount = 100"));
        Assert.Equal(["Big deal", "Loose deal", "Small deal"], await SortedNamesAsync(t, "SELECT Name FROM Opportunity WHERE IsWon = false"));
        Assert.Equal(["Ada Lovelace", "Grace Hopper"], await SortedNamesAsync(t, "SELECT Name FROM Contact WHERE Title = 'cto'"));
        Assert.Equal(["Ada Lovelace"], await NamesAsync(t, "SELECT Name FROM Contact WHERE Email = 'ADA@acme.TEST'"));
        Assert.Equal(["Ada Lovelace"], await NamesAsync(t, "SELECT Name FROM Contact WHERE Phone = '+1 (555) 0100' AND Phone IN ('+1 (555) 0100', '0')"));
        Assert.Equal(3, (await QueryAsync(t, "SELECT Id FROM Contact WHERE Phone != '+1 (555) 0100'")).GetProperty("totalSize").GetInt32());
        Assert.Equal(["Ada Lovelace"], await NamesAsync(t, $"SELECT Name FROM Contact WHERE Id = '{d["ada"][..15]}'"));
        Assert.Equal(["Ada Lovelace", "Grace Hopper"], await SortedNamesAsync(t, $"SELECT Name FROM Contact WHERE AccountId = '{d["acme"].ToLowerInvariant()[..15]}{d["acme"][15..]}' OR AccountId = '{d["beta"]}'"));
        // Nested logic as jsforce writes it: AND of ORs, NOT of a group.
        Assert.Equal(["Big deal"], await NamesAsync(t, "SELECT Name FROM Opportunity WHERE (StageName = 'Prospecting' OR StageName = 'Closed Won') AND (Amount >= 100 AND NOT (IsWon = true))"));
        Assert.Equal(["Ada Lovelace"], await NamesAsync(t, "SELECT Name FROM Contact WHERE Account.Name = 'acme' AND Email LIKE 'ada@%'"));
    }

    [Fact]
    public async Task SoqlQuery_CustomFieldsAndDates_FilterByTypeAndDateLiteral()
    {
        var d = await SeedAsync("soql custom");
        var t = d.Tenant;
        Assert.Equal(["beta corp"], await NamesAsync(t, "SELECT Name FROM Account WHERE Tier__c = 'SILVER'"));
        Assert.Equal(["Acme", "Gamma"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE tier__c != 'silver'"));
        Assert.Equal(["Acme"], await NamesAsync(t, "SELECT Name FROM Account WHERE Score__c > 5"));
        Assert.Equal(["Acme"], await NamesAsync(t, "SELECT Name FROM Account WHERE Regions__c INCLUDES ('emea')"));
        Assert.Equal(["Acme", "beta corp"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE Regions__c INCLUDES ('AMER;EMEA', 'APAC')"));
        Assert.Empty(await NamesAsync(t, "SELECT Name FROM Account WHERE Regions__c INCLUDES ('AMER;APAC')"));
        Assert.Equal(["Gamma", "beta corp"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE Regions__c EXCLUDES ('AMER')"));
        Assert.Equal(["Acme"], await NamesAsync(t, "SELECT Name FROM Account WHERE Regions__c = 'emea;amer'"));
        Assert.Equal(["Acme"], await NamesAsync(t, $"SELECT Name FROM Account WHERE Renewal__c = {Day(10)}"));
        Assert.Equal(["Acme"], await NamesAsync(t, "SELECT Name FROM Account WHERE Renewal__c = NEXT_N_DAYS:10"));
        Assert.Equal(["beta corp"], await NamesAsync(t, "SELECT Name FROM Account WHERE Renewal__c < TODAY"));
        Assert.Equal(["Acme"], await NamesAsync(t, "SELECT Name FROM Account WHERE Last_Sync__c < 2026-01-15T10:00:01Z"));
        Assert.Equal(["beta corp"], await NamesAsync(t, "SELECT Name FROM Account WHERE Last_Sync__c >= 2026-02-01T01:00:00+01:00"));
        Assert.Equal(["Acme", "beta corp"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE Last_Sync__c = 2026-01-15T10:00:00.000Z OR Last_Sync__c = 2026-02-01T00:00:00Z"));

        Assert.Equal(["Big deal"], await NamesAsync(t, "SELECT Name FROM Opportunity WHERE CloseDate = TODAY"));
        Assert.Equal(["Big deal", "Small deal"], await SortedNamesAsync(t, "SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_DAYS:10"));
        Assert.Equal(["Big deal"], await NamesAsync(t, "SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_DAYS:9"));
        Assert.Equal(["Small deal"], await NamesAsync(t, "SELECT Name FROM Opportunity WHERE CloseDate = N_DAYS_AGO:10"));
        Assert.Equal(["Loose deal"], await NamesAsync(t, "SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:40"));
        Assert.Equal(["Loose deal"], await NamesAsync(t, "SELECT Name FROM Opportunity WHERE CloseDate > TODAY"));
        Assert.Equal(["Big deal", "Loose deal"], await SortedNamesAsync(t, "SELECT Name FROM Opportunity WHERE CloseDate >= TODAY"));
        Assert.Equal(["Big deal", "Small deal", "Won deal"], await SortedNamesAsync(t, "SELECT Name FROM Opportunity WHERE CloseDate <= TODAY"));
        Assert.Equal(["Loose deal", "Small deal", "Won deal"], await SortedNamesAsync(t, "SELECT Name FROM Opportunity WHERE CloseDate != TODAY"));
        Assert.Equal(["Won deal"], await NamesAsync(t, $"SELECT Name FROM Opportunity WHERE CloseDate < {Day(-399)}"));
        // Datetime fields: every record was created today.
        Assert.Equal(3, (await QueryAsync(t, "SELECT Id FROM Account WHERE CreatedDate = TODAY")).GetProperty("totalSize").GetInt32());
        Assert.Equal(3, (await QueryAsync(t, "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:1 AND CreatedDate > YESTERDAY AND CreatedDate < TOMORROW AND CreatedDate = THIS_YEAR")).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await QueryAsync(t, "SELECT Id FROM Account WHERE CreatedDate < TODAY OR CreatedDate > TODAY OR CreatedDate = LAST_YEAR")).GetProperty("totalSize").GetInt32());
        Assert.Equal(3, (await QueryAsync(t, $"SELECT Id FROM Account WHERE CreatedDate > {DateTime.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ss}Z")).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task SoqlQuery_ParentPaths_NestSelectedFieldsAndNullForNoParent()
    {
        var d = await SeedAsync("soql parents");
        var t = d.Tenant;
        var result = await QueryAsync(t, "select id, name, account.name, ACCOUNT.industry, Account.Parent.Name, Account.Tier__c from contact order by lastname");
        var rows = result.GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(4, rows.Length);
        Assert.Equal(["Id", "Name", "Account"], rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(d["grace"], rows[0].Str("Id"));
        var account = rows[0].GetProperty("Account");
        Assert.Equal(["Name", "Industry", "Parent", "Tier__c"], account.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Acme", account.Str("Name"));
        Assert.Equal("Technology", account.Str("Industry"));
        Assert.Equal(JsonValueKind.Null, account.GetProperty("Parent").ValueKind);
        Assert.Equal("Gold", account.Str("Tier__c"));
        Assert.Equal("Ada Lovelace", rows[1].Str("Name"));
        Assert.Equal(JsonValueKind.Null, rows[2].GetProperty("Account").ValueKind); // Orphan
        Assert.Equal("Torvalds", rows[3].Str("Name"));
        Assert.Equal("Acme", rows[3].GetProperty("Account").GetProperty("Parent").Str("Name"));
        Assert.Equal(JsonValueKind.Null, rows[3].GetProperty("Account").GetProperty("Tier__c").ValueKind);

        // Polymorphic Who and What: a Contact, a Lead, an Account, an Opportunity, or nothing.
        var tasks = (await QueryAsync(t, "SELECT Subject, Who.Name, What.Name FROM Task ORDER BY Subject")).GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(["Call Ada", "Email Lise", "Prep deck"], tasks.Select(r => r.Str("Subject")));
        Assert.Equal("Ada Lovelace", tasks[0].GetProperty("Who").Str("Name"));
        Assert.Equal("Acme", tasks[0].GetProperty("What").Str("Name"));
        Assert.Equal("Lise Meitner", tasks[1].GetProperty("Who").Str("Name"));
        Assert.Equal(JsonValueKind.Null, tasks[1].GetProperty("What").ValueKind);
        Assert.Equal(JsonValueKind.Null, tasks[2].GetProperty("Who").ValueKind);
        Assert.Equal("Big deal", tasks[2].GetProperty("What").Str("Name"));
        Assert.Equal(["Email Lise"], await NamesAsync(t, "SELECT Subject FROM Task WHERE Who.Name LIKE 'lise%'", "Subject"));
        Assert.Equal(["Prep deck"], await NamesAsync(t, "SELECT Subject FROM Task WHERE What.Name = 'big deal'", "Subject"));

        // The service reports the real type of a polymorphic parent, for the REST layer's attributes.
        var service = server.Services.GetRequiredService<SoqlService>();
        var caller = new RevOps.Domain.Tenancy.Caller(new RevOps.Domain.Tenancy.TenantId(Guid.Parse(t.TenantId)), "test", RevOps.Domain.Tenancy.Scopes.Read, "test");
        var page = await service.QueryAsync(caller, "SELECT Who.Name FROM Task WHERE Who.Name != null ORDER BY Subject", false, 0, 10, TestContext.Current.CancellationToken);
        Assert.True(page.IsOk);
        Assert.Equal(["Contact", "Lead"], page.Value.Records.Select(r => ((SoqlRow)r.Fields[0].Value!).Object));
        Assert.Equal([d["ada"], d["lise"]], page.Value.Records.Select(r => ((SoqlRow)r.Fields[0].Value!).Id));
        Assert.Equal("Task", page.Value.Records[0].Object);
    }

    [Fact]
    public async Task SoqlQuery_ChildSubqueries_ReturnFilteredChildrenOrNull()
    {
        var d = await SeedAsync("soql children");
        var t = d.Tenant;
        var rows = (await QueryAsync(t, "SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName DESC), (SELECT Name, Amount FROM Opportunities WHERE Amount > 60 LIMIT 5), (select subject from TASKS), (SELECT Name FROM ChildAccounts) FROM Account ORDER BY Name"))
            .GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(["Acme", "beta corp", "Gamma"], rows.Select(r => r.Str("Name")));
        Assert.Equal(["Name", "Contacts", "Opportunities", "Tasks", "ChildAccounts"], rows[0].EnumerateObject().Select(p => p.Name));
        var contacts = rows[0].GetProperty("Contacts");
        Assert.Equal(2, contacts.GetProperty("totalSize").GetInt32());
        Assert.Equal(["Lovelace", "Hopper"], contacts.GetProperty("records").EnumerateArray().Select(r => r.Str("LastName")));
        var deals = rows[0].GetProperty("Opportunities").GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal("Big deal", Assert.Single(deals).Str("Name"));
        Assert.Equal(100, deals[0].GetProperty("Amount").GetDouble());
        Assert.Equal("Call Ada", Assert.Single(rows[0].GetProperty("Tasks").GetProperty("records").EnumerateArray()).Str("Subject"));
        Assert.Equal("Gamma", Assert.Single(rows[0].GetProperty("ChildAccounts").GetProperty("records").EnumerateArray()).Str("Name"));
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("Contacts").ValueKind);
        Assert.Equal("Won deal", Assert.Single(rows[1].GetProperty("Opportunities").GetProperty("records").EnumerateArray()).Str("Name"));
        Assert.Equal(JsonValueKind.Null, rows[2].GetProperty("Opportunities").ValueKind);
        Assert.Equal(JsonValueKind.Null, rows[2].GetProperty("ChildAccounts").ValueKind);

        // Contact and Lead children through WhoId; a per-parent LIMIT.
        var lead = Assert.Single((await QueryAsync(t, "SELECT Name, (SELECT Subject FROM Tasks) FROM Lead")).GetProperty("records").EnumerateArray());
        Assert.Equal("Email Lise", Assert.Single(lead.GetProperty("Tasks").GetProperty("records").EnumerateArray()).Str("Subject"));
        var limited = Assert.Single((await QueryAsync(t, "SELECT Name, (SELECT Name FROM Opportunities ORDER BY Amount LIMIT 1) FROM Account WHERE Name = 'Acme'")).GetProperty("records").EnumerateArray());
        Assert.Equal(1, limited.GetProperty("Opportunities").GetProperty("totalSize").GetInt32());
        Assert.Equal("Small deal", Assert.Single(limited.GetProperty("Opportunities").GetProperty("records").EnumerateArray()).Str("Name"));
    }

    [Fact]
    public async Task SoqlQuery_Aggregates_GroupByHavingAndExprNames()
    {
        var d = await SeedAsync("soql aggregates");
        var t = d.Tenant;
        var count = await QueryAsync(t, "select count() from Opportunity where Amount > 0");
        Assert.Equal(3, count.GetProperty("totalSize").GetInt32());
        Assert.Empty(count.GetProperty("records").EnumerateArray());

        var grouped = (await QueryAsync(t, "SELECT StageName, SUM(Amount) total, COUNT(Id), AVG(Amount), MAX(CloseDate) latest, MIN(Name) FROM Opportunity GROUP BY StageName HAVING COUNT(Id) > 0 ORDER BY StageName"))
            .GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(["StageName", "total", "expr0", "expr1", "latest", "expr2"], grouped[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(["Closed Won", "Prospecting", "Qualification"], grouped.Select(g => g.Str("StageName")));
        Assert.Equal(150.0, grouped[1].GetProperty("total").GetDouble());
        Assert.Equal(2, grouped[1].GetProperty("expr0").GetInt64());
        Assert.Equal(75.0, grouped[1].GetProperty("expr1").GetDouble());
        Assert.Equal(Day(0), grouped[1].Str("latest"));
        Assert.Equal("Big deal", grouped[1].Str("expr2"));
        Assert.Equal(JsonValueKind.Null, grouped[2].GetProperty("total").ValueKind);

        var having = (await QueryAsync(t, "SELECT Account.Name, COUNT(Id) n FROM Opportunity GROUP BY Account.Name HAVING COUNT(Id) > 1")).GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal("Acme", Assert.Single(having).Str("Name"));
        Assert.Equal(2, having[0].GetProperty("n").GetInt64());

        var total = Assert.Single((await QueryAsync(t, "SELECT COUNT(Id), COUNT_DISTINCT(AccountId), SUM(Amount) FROM Opportunity")).GetProperty("records").EnumerateArray());
        Assert.Equal(4, total.GetProperty("expr0").GetInt64());
        Assert.Equal(2, total.GetProperty("expr1").GetInt64());
        Assert.Equal(450.0, total.GetProperty("expr2").GetDouble());

        var ordered = (await QueryAsync(t, "SELECT Industry, SUM(NumberOfEmployees) FROM Account WHERE Industry != null GROUP BY Industry ORDER BY SUM(NumberOfEmployees) DESC")).GetProperty("records").EnumerateArray();
        Assert.Equal(["Technology", "Finance"], ordered.Select(r => r.Str("Industry")));
    }

    [Fact]
    public async Task SoqlQuery_OrderByLimitOffset_NullsAndCaseInsensitiveText()
    {
        var d = await SeedAsync("soql order");
        var t = d.Tenant;
        Assert.Equal(["Acme", "beta corp", "Gamma"], await NamesAsync(t, "SELECT Name FROM Account ORDER BY Name"));
        Assert.Equal(["Gamma", "beta corp", "Acme"], await NamesAsync(t, "SELECT Name FROM Account ORDER BY Name DESC"));
        Assert.Equal(["Gamma", "beta corp", "Acme"], await NamesAsync(t, "SELECT Name FROM Account ORDER BY Industry ASC, Name"));
        Assert.Equal(["beta corp", "Acme", "Gamma"], await NamesAsync(t, "SELECT Name FROM Account ORDER BY Industry ASC NULLS LAST"));
        Assert.Equal(["Acme", "beta corp", "Gamma"], await NamesAsync(t, "SELECT Name FROM Account ORDER BY Industry DESC"));
        Assert.Equal(["Gamma", "Acme", "beta corp"], await NamesAsync(t, "SELECT Name FROM Account ORDER BY Industry DESC NULLS FIRST"));
        Assert.Equal(["Orphan", "Torvalds", "Lovelace", "Hopper"], await NamesAsync(t, "SELECT LastName FROM Contact ORDER BY Account.Name DESC NULLS FIRST, LastName DESC", "LastName"));
        Assert.Equal(["beta corp"], await NamesAsync(t, "SELECT Name FROM Account ORDER BY Name LIMIT 1 OFFSET 1"));
        var limited = await QueryAsync(t, "SELECT Name FROM Account ORDER BY Name LIMIT 2", new { limit = 1 });
        Assert.Equal(2, limited.GetProperty("totalSize").GetInt32());
        Assert.True(limited.GetProperty("hasMore").GetBoolean());
        var next = await QueryAsync(t, "SELECT Name FROM Account ORDER BY Name LIMIT 2", new { limit = 1, cursor = limited.Str("nextCursor") });
        Assert.Equal("beta corp", Assert.Single(next.GetProperty("records").EnumerateArray()).Str("Name"));
        Assert.False(next.GetProperty("hasMore").GetBoolean());
        Assert.False(next.TryGetProperty("nextCursor", out _));
        Assert.Empty((await QueryAsync(t, "SELECT Name FROM Account OFFSET 5")).GetProperty("records").EnumerateArray());
    }

    [Fact]
    public async Task SoqlQuery_MoreThan2000Rows_PagesWithCursorWithoutRepeats()
    {
        var tenant = await server.CreateTenantAsync("soql paging");
        await using (var client = await tenant.ConnectMcpAsync())
        {
            var ct = TestContext.Current.CancellationToken;
            for (int batch = 0; batch < 2100; batch += 50)
            {
                var calls = Enumerable.Range(batch, 50).Select(i => client.CallToolAsync("create_record",
                    new Dictionary<string, object?> { ["object"] = "Lead", ["fields"] = new Dictionary<string, object> { ["LastName"] = $"L{i % 7}", ["Company"] = $"Co {i}" } }, cancellationToken: ct).AsTask());
                foreach (var result in await Task.WhenAll(calls)) Assert.True(result.IsError != true, Mcp.Text(result));
            }
        }
        var seen = new HashSet<string>();
        string? cursor = null;
        int pages = 0;
        do
        {
            var page = await QueryAsync(tenant, "SELECT Id, LastName FROM Lead ORDER BY LastName", new { limit = 2000, cursor });
            Assert.Equal(2100, page.GetProperty("totalSize").GetInt32());
            foreach (var row in page.GetProperty("records").EnumerateArray()) Assert.True(seen.Add(row.Str("Id")), "a row repeated across pages");
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(2, pages);
        Assert.Equal(2100, seen.Count);

        // A cursor belongs to its query.
        var first = await QueryAsync(tenant, "SELECT Id FROM Lead", new { limit = 10 });
        var error = Mcp.ErrorText(await tenant.CallAsync("soql_query", new { query = "SELECT Id FROM Account", cursor = first.Str("nextCursor") }));
        Assert.StartsWith("INVALID_ARGUMENT: This cursor belongs to a different search.", error);
    }

    [Fact]
    public async Task SoqlQuery_IncludeDeleted_AddsRecycleBinRows()
    {
        var d = await SeedAsync("soql deleted");
        var t = d.Tenant;
        await t.CallOkAsync("delete_record", new { Id = d["orphan"] });
        Assert.Equal(3, (await QueryAsync(t, "SELECT Id FROM Contact")).GetProperty("totalSize").GetInt32());
        var all = await QueryAsync(t, "SELECT LastName, IsDeleted FROM Contact WHERE IsDeleted = true", new { include_deleted = true });
        var row = Assert.Single(all.GetProperty("records").EnumerateArray());
        Assert.Equal("Orphan", row.Str("LastName"));
        Assert.True(row.GetProperty("IsDeleted").GetBoolean());
        Assert.Equal(4, (await QueryAsync(t, "SELECT Id FROM Contact", new { include_deleted = true })).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await QueryAsync(t, "SELECT count() FROM Contact WHERE LastName = 'Orphan'")).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task SoqlQuery_TwoTenantsWithTheSameData_NeverSeeEachOther()
    {
        var a = await SeedAsync("soql tenant a");
        var b = await SeedAsync("soql tenant b");
        var fromA = (await QueryAsync(a.Tenant, "SELECT Id, Account.Id, (SELECT Id FROM Tasks) FROM Contact WHERE Account.Name = 'Acme'")).GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(new[] { a["ada"], a["grace"] }.Order(StringComparer.Ordinal), fromA.Select(r => r.Str("Id")).Order(StringComparer.Ordinal));
        Assert.All(fromA, r => Assert.Equal(a["acme"], r.GetProperty("Account").Str("Id")));
        // Tenant b's Account Id in tenant a: a join or filter never crosses tenants.
        Assert.Equal(0, (await QueryAsync(a.Tenant, $"SELECT Id FROM Contact WHERE AccountId = '{b["acme"]}'")).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await QueryAsync(a.Tenant, $"SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Id = '{b["ada"]}')")).GetProperty("totalSize").GetInt32());
        var counts = Assert.Single((await QueryAsync(b.Tenant, "SELECT COUNT(Id) FROM Contact")).GetProperty("records").EnumerateArray());
        Assert.Equal(4, counts.GetProperty("expr0").GetInt64());
    }

    [Fact]
    public async Task SoqlQuery_SemiJoins_FilterByAnotherObject()
    {
        var d = await SeedAsync("soql semi");
        var t = d.Tenant;
        Assert.Equal(["Acme", "Gamma"], await SortedNamesAsync(t, "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)"));
        Assert.Equal(["Acme"], await NamesAsync(t, "SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Email LIKE '%@acme.test')"));
        Assert.Equal(["beta corp"], await NamesAsync(t, "SELECT Name FROM Account WHERE Id NOT IN (SELECT AccountId FROM Contact)"));
        Assert.Equal(["Ada Lovelace", "Grace Hopper"], await SortedNamesAsync(t, "SELECT Name FROM Contact WHERE AccountId IN (SELECT AccountId FROM Opportunity WHERE StageName = 'Prospecting')"));
    }

    [Fact]
    public async Task SoqlQuery_BadQueries_AnswerSalesforceErrors()
    {
        var t = await server.CreateTenantAsync("soql errors");
        async Task<string> ErrorAsync(string soql) => Mcp.ErrorText(await t.CallAsync("soql_query", new { query = soql }));
        Assert.Equal("INVALID_FIELD: \nSELECT Nmae FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column 'Nmae' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
            await ErrorAsync("SELECT Nmae FROM Account"));
        Assert.StartsWith("INVALID_TYPE: \nSELECT Id FROM Acount\n               ^\nERROR at Row:1:Column:16\nsObject type 'Acount' is not supported.", await ErrorAsync("SELECT Id FROM Acount"));
        // Another CRM's word for an object gets the object it means (a deal is an Opportunity, not the Lead it is spelt like).
        Assert.EndsWith("the describe call for the appropriate names. Did you mean Opportunity?", await ErrorAsync("SELECT Id FROM Deals"));
        Assert.Equal("MALFORMED_QUERY: \nSELECT Id FROM Account WHERE\n                            ^\nERROR at Row:1:Column:29\nunexpected token: '<EOF>'", await ErrorAsync("SELECT Id FROM Account WHERE"));
        Assert.Equal("MALFORMED_QUERY: \nSELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'\n                                                       ^\nERROR at Row:1:Column:56\nunexpected token: 'OR'",
            await ErrorAsync("SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'"));
        Assert.Equal("INVALID_QUERY_FILTER_OPERATOR: \nSELECT Id FROM Contact WHERE AccountId = 'xyz'\n                                         ^\nERROR at Row:1:Column:42\ninvalid ID field: xyz", await ErrorAsync("SELECT Id FROM Contact WHERE AccountId = 'xyz'"));
        Assert.StartsWith("NUMBER_OUTSIDE_VALID_RANGE: Maximum SOQL offset allowed is 2000", await ErrorAsync("SELECT Id FROM Account OFFSET 2001"));
        Assert.Equal("INVALID_TYPE: \nFROM  Acount\n      ^\nERROR at Row:2:Column:7\nsObject type 'Acount' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
            await ErrorAsync("SELECT Id\nFROM  Acount"));
        Assert.Contains("value of filter criterion for field 'Name' must be of type string", await ErrorAsync("SELECT Id FROM Account WHERE Name = 1"));
        Assert.StartsWith("INVALID_FIELD:", await ErrorAsync("SELECT Id FROM Opportunity WHERE CloseDate = 2024-01-01T00:00:00Z"));
        Assert.StartsWith("INVALID_FIELD:", await ErrorAsync("SELECT Id FROM Account WHERE CreatedDate = 2024-01-01"));
        Assert.Contains("Didn't understand relationship 'Acount'", await ErrorAsync("SELECT Acount.Name FROM Contact"));
        // Accepted and ignored trailing clauses.
        Assert.Equal(0, (await QueryAsync(t, "SELECT Id FROM Account WITH SECURITY_ENFORCED FOR VIEW")).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await QueryAsync(t, "SELECT Id FROM Account FOR UPDATE")).GetProperty("totalSize").GetInt32());
    }

    /// <summary>Hostile values: quotes, escapes, comments, unicode and LIKE wildcards round-trip as plain values.</summary>
    public static TheoryData<string> HostileNames =>
    [
        "O'Brien", "back\\slash", "semi;colon -- comment", "/* block */ x", "' OR 1=1 --", "'; DROP TABLE account; --", "Zoë 東京 🚀", "100% off_now", "\"double\"",
    ];

    static string Escape(string value) => value.Replace("\\", "\\\\").Replace("'", "\\'").Replace("\"", "\\\"");

    static string Quote(string value) => "'" + Escape(value) + "'";

    static string LikeEscape(string value) => Escape(value).Replace("%", "\\%").Replace("_", "\\_");

    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task SoqlQuery_HostileValues_MatchExactlyAndNeverError(string hostile)
    {
        var tenant = await server.CreateTenantAsync("soql injection");
        string id = await CreateAsync(tenant, "Account", new { Name = hostile });
        await CreateAsync(tenant, "Account", new { Name = "Bystander" });
        await CreateAsync(tenant, "Account", new { Name = "100 off now" });
        Assert.Equal([hostile], await NamesAsync(tenant, $"SELECT Name FROM Account WHERE Name = {Quote(hostile)}"));
        Assert.Equal([hostile], await NamesAsync(tenant, $"SELECT Name FROM Account WHERE Name LIKE '{LikeEscape(hostile)}'"));
        Assert.Equal([hostile], await NamesAsync(tenant, $"SELECT Name FROM Account WHERE Name LIKE '{LikeEscape(hostile[..4])}%'"));
        Assert.Equal([hostile], await NamesAsync(tenant, $"SELECT Name FROM Account WHERE Name LIKE '%{LikeEscape(hostile[^4..])}'"));
        Assert.Equal([hostile], await NamesAsync(tenant, $"SELECT Name FROM Account WHERE Name IN ({Quote(hostile)}, 'nobody')"));
        Assert.Equal(2, (await QueryAsync(tenant, $"SELECT Id FROM Account WHERE Name != {Quote(hostile)}")).GetProperty("totalSize").GetInt32());
        Assert.Equal(3, (await QueryAsync(tenant, "SELECT Id FROM Account")).GetProperty("totalSize").GetInt32());
        Assert.Equal(id, Assert.Single((await QueryAsync(tenant, $"SELECT Id FROM Account WHERE Name = {Quote(hostile)}")).GetProperty("records").EnumerateArray()).Str("Id"));
    }

    [Fact]
    public async Task SoqlQuery_LikeWildcards_EscapedPercentAndUnderscoreAreLiteral()
    {
        var tenant = await server.CreateTenantAsync("soql like");
        foreach (var name in new[] { "100% off", "100 off", "a_b", "axb" }) await CreateAsync(tenant, "Account", new { Name = name });
        Assert.Equal(["100% off"], await NamesAsync(tenant, "SELECT Name FROM Account WHERE Name LIKE '100\\%%'"));
        Assert.Equal(["100 off", "100% off"], await SortedNamesAsync(tenant, "SELECT Name FROM Account WHERE Name LIKE '100%'"));
        Assert.Equal(["a_b"], await NamesAsync(tenant, "SELECT Name FROM Account WHERE Name LIKE 'a\\_b'"));
        Assert.Equal(["a_b", "axb"], await SortedNamesAsync(tenant, "SELECT Name FROM Account WHERE Name LIKE 'A_B'"));
    }

    [GeneratedRegex("'[^']*'")]
    private static partial Regex QuotedText();

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void SoqlSql_EveryLiteral_IsAParameterNeverSqlText(string hostile)
    {
        var schema = new TenantSchema([
            new CustomFieldDefinition("Account", new RevOps.Domain.Metadata.FieldMetadata { Name = "Tier__c", Label = "Tier", Type = RevOps.Domain.Metadata.FieldType.String, Length = 255, Custom = true }, DateTime.UtcNow, DateTime.UtcNow),
            new CustomFieldDefinition("Account", new RevOps.Domain.Metadata.FieldMetadata { Name = "Regions__c", Label = "Regions", Type = RevOps.Domain.Metadata.FieldType.MultiPicklist, PicklistValues = ["AMER"], Custom = true }, DateTime.UtcNow, DateTime.UtcNow),
        ]);
        string q = Quote(hostile);
        string soql = $"SELECT Name, Parent.Name, (SELECT LastName FROM Contacts WHERE LastName = {q} OR Email LIKE {q}) FROM Account " +
            $"WHERE (Name = {q} OR Name LIKE {q} OR Industry IN ({q}, 'x') OR Parent.Tier__c != {q}) AND NOT (Parent.Regions__c INCLUDES ({q})) " +
            $"AND Id IN (SELECT AccountId FROM Contact WHERE LastName = {q}) AND CreatedDate = LAST_N_DAYS:7" +
" ORDER BY Name LIMIT 10";
        var plan = SoqlPlanner.Plan(soql, schema, new DateOnly(2026, 1, 1));
        Assert.True(plan.IsOk, plan.Error?.ToString());
        // Both dialects: SQLite's (json paths) and PostgreSQL's (jsonb keys).
        foreach (var (dialect, tenant, metadata) in new (RevOps.Storage.Sql.SqlDialect, string, string)[]
                 {
                     (RevOps.Storage.Sqlite.SqliteDialect.Instance, "@tenant", @"^('\$\.[A-Za-z0-9_]+__c'|'\\'|';')$"),
                     (RevOps.Storage.Postgres.PostgresDialect.Instance, "@tenant", @"^('[A-Za-z0-9_]+__c'|'\\'|';')$"),
                 })
        {
            var sql = SoqlSql.For(plan.Value, includeDeleted: false, dialect);
            var child = SoqlSql.ForChildren(((SoqlChildOutput)plan.Value.Outputs.Single(o => o is SoqlChildOutput)).Plan, includeDeleted: false, dialect);
            foreach (var text in new[] { sql.Select, sql.Count, child.Select })
            {
                // The only quoted text in the SQL is metadata: custom field names, LIKE's escape character and the multipicklist separator.
                Assert.All(QuotedText().Matches(text).Select(m => m.Value), quoted => Assert.Matches(metadata, quoted));
                Assert.DoesNotContain("2025-12-25", text);
                // Every table alias in the statement is filtered on the tenant parameter.
                foreach (Match alias in Regex.Matches(text, @"(?:FROM|JOIN) \w+ (t\d+)"))
                    Assert.Contains($"{alias.Groups[1].Value}.tenant_id = {tenant}", text);
            }
            Assert.Contains(hostile, sql.Values.Select(v => v.Value).OfType<string>());
            Assert.Contains("2025-12-25", sql.Values.Select(v => v.Value is DateTime time ? time.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : v.Value as string)
                .OfType<string>().Select(v => v[..Math.Min(10, v.Length)]));
            Assert.Contains(hostile, child.Values.Select(v => v.Value).OfType<string>());
            Assert.Equal(3, Regex.Matches(sql.Select, $@"tenant_id = {Regex.Escape(tenant)}").Count);
        }
    }
}
