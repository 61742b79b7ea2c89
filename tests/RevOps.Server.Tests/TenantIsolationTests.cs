namespace RevOps.Server.Tests;

/// <summary>Two tenants on one server: every tool answers tenant B as if tenant A's records did not exist.</summary>
public sealed class TenantIsolationTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    /// <summary>Well-formed Ids that were never issued, one per object.</summary>
    const string NoContact = "003000000000001AAA", NoAccount = "001000000000001AAA", NoOpportunity = "006000000000001AAA";

    [Fact]
    public async Task EveryTool_OtherTenantsRecords_AreInvisibleAndUntouchable()
    {
        var acme = await server.CreateTenantAsync("Acme");
        var globex = await server.CreateTenantAsync("Globex");
        string accountId = (await acme.CallOkAsync("create_account", new { Name = "Acme Secret Account", Industry = "Banking" })).Str("Id");
        string contactId = (await acme.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Secret", Email = "ada@acme.test", Phone = "555-0199", AccountId = accountId })).Str("Id");
        string dealId = (await acme.CallOkAsync("create_opportunity", new { Name = "Acme Secret Deal", StageName = "Prospecting", CloseDate = "2026-12-31", Amount = 999999, AccountId = accountId })).Str("Id");
        await acme.CallOkAsync("create_task", new { Subject = "Acme secret task", WhoId = contactId, WhatId = dealId });

        // get_*: exactly the answer for an Id that never existed.
        Assert.Equal(Mcp.ErrorText(await globex.CallAsync("get_contact", new { Id = NoContact })).Replace(NoContact, contactId),
            Mcp.ErrorText(await globex.CallAsync("get_contact", new { Id = contactId })));
        Assert.Equal(Mcp.ErrorText(await globex.CallAsync("get_account", new { Id = NoAccount })).Replace(NoAccount, accountId),
            Mcp.ErrorText(await globex.CallAsync("get_account", new { Id = accountId })));
        Assert.Equal(Mcp.ErrorText(await globex.CallAsync("get_opportunity", new { Id = NoOpportunity })).Replace(NoOpportunity, dealId),
            Mcp.ErrorText(await globex.CallAsync("get_opportunity", new { Id = dealId })));
        Assert.StartsWith("NOT_FOUND: ", Mcp.ErrorText(await globex.CallAsync("get_contact", new { Id = contactId })));

        // search_* and get_tasks: nothing of Acme's.
        foreach (var (tool, args) in new (string, object)[]
                 {
                     ("search_contacts", new { email = "ada@acme.test" }), ("search_contacts", new { name = "Ada" }), ("search_contacts", new { phone = "555-0199" }),
                     ("search_contacts", new { accountId }), ("search_contacts", new { }), ("search_accounts", new { name = "Acme" }),
                     ("search_accounts", new { industry = "Banking" }), ("search_accounts", new { }), ("search_opportunities", new { accountId }),
                     ("search_opportunities", new { minAmount = 1 }), ("search_opportunities", new { stage = "Prospecting" }), ("get_tasks", new { }),
                 })
        {
            var found = await globex.CallOkAsync(tool, args);
            Assert.Equal(0, found.GetProperty("count").GetInt32());
        }

        // update_*: same not-found answer, and Acme's record is unchanged.
        Assert.Equal(Mcp.ErrorText(await globex.CallAsync("update_contact", new { Id = NoContact, LastName = "Hacked" })).Replace(NoContact, contactId),
            Mcp.ErrorText(await globex.CallAsync("update_contact", new { Id = contactId, LastName = "Hacked" })));
        Assert.Equal(Mcp.ErrorText(await globex.CallAsync("update_opportunity_stage", new { Id = NoOpportunity, StageName = "Closed Lost" })).Replace(NoOpportunity, dealId),
            Mcp.ErrorText(await globex.CallAsync("update_opportunity_stage", new { Id = dealId, StageName = "Closed Lost" })));
        Assert.Equal("Secret", (await acme.CallOkAsync("get_contact", new { Id = contactId })).Str("LastName"));
        Assert.Equal("Prospecting", (await acme.CallOkAsync("get_opportunity", new { Id = dealId })).Str("StageName"));

        // create_* referencing Acme's records: same answer as a reference to nothing.
        Assert.Equal(Mcp.ErrorText(await globex.CallAsync("create_contact", new { LastName = "X", AccountId = NoAccount })).Replace(NoAccount, accountId),
            Mcp.ErrorText(await globex.CallAsync("create_contact", new { LastName = "X", AccountId = accountId })));
        Assert.Equal(Mcp.ErrorText(await globex.CallAsync("create_opportunity", new { Name = "X", StageName = "Prospecting", CloseDate = "2026-12-31", AccountId = NoAccount })).Replace(NoAccount, accountId),
            Mcp.ErrorText(await globex.CallAsync("create_opportunity", new { Name = "X", StageName = "Prospecting", CloseDate = "2026-12-31", AccountId = accountId })));
        Assert.Equal(Mcp.ErrorText(await globex.CallAsync("create_task", new { Subject = "X", WhoId = NoContact })).Replace(NoContact, contactId),
            Mcp.ErrorText(await globex.CallAsync("create_task", new { Subject = "X", WhoId = contactId })));
        Assert.Equal(Mcp.ErrorText(await globex.CallAsync("create_task", new { Subject = "X", WhatId = NoOpportunity })).Replace(NoOpportunity, dealId),
            Mcp.ErrorText(await globex.CallAsync("create_task", new { Subject = "X", WhatId = dealId })));
        Assert.Equal(Mcp.ErrorText(await globex.CallAsync("update_contact", new { Id = NoContact, AccountId = accountId })).Replace(NoContact, contactId),
            Mcp.ErrorText(await globex.CallAsync("update_contact", new { Id = contactId, AccountId = accountId })));

        // Globex's own writes stay Globex's: Acme's searches do not see them.
        await globex.CallOkAsync("create_contact", new { FirstName = "Ada", LastName = "Globex", Email = "ada@acme.test" });
        var acmeAdas = await acme.CallOkAsync("search_contacts", new { email = "ada@acme.test" });
        Assert.Equal(contactId, Assert.Single(acmeAdas.GetProperty("records").EnumerateArray()).Str("Id"));
        Assert.Equal(1, (await globex.CallOkAsync("search_contacts", new { })).GetProperty("count").GetInt32());
    }
}
