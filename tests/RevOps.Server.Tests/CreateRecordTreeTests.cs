namespace RevOps.Server.Tests;

/// <summary>create_record with nested children: an Account with its Contacts, Opportunities and Tasks in one call and one transaction.</summary>
public sealed class CreateRecordTreeTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task CreateRecord_AccountWithContactsDealAndTasks_OneCall_IdsByReference()
    {
        var tenant = await server.CreateTenantAsync("MCP tree");
        int before = ChangeLogFile.Read(server, tenant.TenantId).Count;
        var created = await tenant.CallOkAsync("create_record", new
        {
            @object = "Account",
            fields = new Dictionary<string, object>
            {
                ["Name"] = "Initech", ["Industry"] = "Technology",
                ["Contacts"] = new object[]
                {
                    new Dictionary<string, object> { ["FirstName"] = "Bill", ["LastName"] = "Lumbergh", ["Tasks"] = new[] { new { Subject = "Intro call" } } },
                    new { LastName = "Gibbons" },
                },
                ["Opportunities"] = new { records = new[] { new { Name = "Initech TPS", StageName = "Qualification", CloseDate = "2027-02-28", Amount = 42000 } } },
                ["Tasks"] = new[] { new { Subject = "Account plan" } },
            },
        });
        var refs = created.GetProperty("created").EnumerateArray().ToDictionary(c => c.Str("referenceId"), c => (Object: c.Str("object"), Id: c.Str("Id")));
        Assert.Equal(["Account", "Contacts[0]", "Contacts[1]", "Opportunities[0]", "Tasks[0]", "Contacts[0].Tasks[0]"], refs.Keys);
        Assert.Equal(("Account", refs["Account"].Id), (created.Str("object"), created.Str("Id")));
        Assert.Equal(["Account", "Contact", "Contact", "Opportunity", "Task", "Task"], refs.Values.Select(v => v.Object));
        string account = refs["Account"].Id;

        Assert.Equal(account, (await tenant.CallOkAsync("get_record", new { Id = refs["Contacts[1]"].Id })).Str("AccountId"));
        var deal = await tenant.CallOkAsync("get_record", new { Id = refs["Opportunities[0]"].Id });
        Assert.Equal(("Initech TPS", account, 42000d), (deal.Str("Name"), deal.Str("AccountId"), deal.GetProperty("Amount").GetDouble()));
        var call = await tenant.CallOkAsync("get_record", new { Id = refs["Contacts[0].Tasks[0]"].Id });
        Assert.Equal((refs["Contacts[0]"].Id, account), (call.Str("WhoId"), call.Str("AccountId")));
        Assert.Equal(account, (await tenant.CallOkAsync("get_record", new { Id = refs["Tasks[0]"].Id })).Str("WhatId"));
        var rows = ChangeLogFile.Read(server, tenant.TenantId).Skip(before).ToArray();
        Assert.Equal(6, rows.Length);
        Assert.All(rows, r => Assert.Equal(("created", rows[0].RequestId, "mcp"), (r.Operation, r.RequestId, r.Channel)));

        // Without children create_record answers the record, as before.
        Assert.Equal("Solo", (await tenant.CallOkAsync("create_record", new { @object = "Account", fields = new { Name = "Solo" } })).Str("Name"));
    }

    [Fact]
    public async Task CreateRecord_TreeWithOneBadChild_CreatesNothing_AndSaysWhich()
    {
        var tenant = await server.CreateTenantAsync("MCP tree refused");
        var other = await server.CreateTenantAsync("MCP tree other");
        string theirs = (await other.CallOkAsync("create_contact", new { LastName = "Theirs" })).Str("Id");

        var missing = Mcp.ErrorText(await tenant.CallAsync("create_record", new
        {
            @object = "Account",
            fields = new Dictionary<string, object> { ["Name"] = "Half", ["Contacts"] = new object[] { new { LastName = "Fine" }, new { FirstName = "NoLast" } } },
        }));
        Assert.StartsWith("REQUIRED_FIELD_MISSING: Contacts[1]: ", missing);
        Assert.EndsWith(" Nothing was created.", missing);

        Assert.StartsWith("INVALID_CROSS_REFERENCE_KEY: Tasks[0]: ", Mcp.ErrorText(await tenant.CallAsync("create_record", new
        {
            @object = "Account",
            fields = new Dictionary<string, object> { ["Name"] = "Spy", ["Tasks"] = new[] { new { Subject = "Spy", WhoId = theirs } } },
        })));
        Assert.Equal("INVALID_TYPE: Contacts[0] has type 'Lead' where the tree calls for Contact. Send attributes.type \"Contact\". Nothing was created.", Mcp.ErrorText(await tenant.CallAsync("create_record", new
        {
            @object = "Account",
            fields = new Dictionary<string, object> { ["Name"] = "Typed", ["Contacts"] = new[] { new { attributes = new { type = "Lead" }, LastName = "X" } } },
        })));
        Assert.Equal("INVALID_ARGUMENT: Records with nested children are created in one transaction and take neither dry_run nor idempotency_key. Send them without, or create the records one by one.",
            Mcp.ErrorText(await tenant.CallAsync("create_record", new
            {
                @object = "Account", dry_run = true,
                fields = new Dictionary<string, object> { ["Name"] = "Dry", ["Contacts"] = new[] { new { LastName = "X" } } },
            })));

        foreach (var obj in new[] { "Account", "Contact", "Task" })
            Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = obj })).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await other.CallOkAsync("find_records", new { @object = "Task" })).GetProperty("totalSize").GetInt32());
    }
}
