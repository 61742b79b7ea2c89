using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>merge_records: duplicates folded into a master, their children repointed, the duplicates in the recycle bin, all in one change-log transaction.</summary>
public sealed class MergeRecordsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task MergeRecords_Accounts_MovesEveryChildCopiesChosenFieldsAndBinsTheDuplicate()
    {
        var tenant = await server.CreateTenantAsync("Merge accounts");
        string master = (await tenant.CallOkAsync("create_account", new { Name = "Acme", Industry = "Technology" })).Str("Id");
        string duplicate = (await tenant.CallOkAsync("create_account", new { Name = "ACME Inc.", Phone = "+1 555 0100", Website = "acme.test", Industry = "Retail" })).Str("Id");
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Ito", AccountId = duplicate })).Str("Id");
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Acme renewal", StageName = "Prospecting", CloseDate = "2030-01-31", AccountId = duplicate })).Str("Id");
        string task = (await tenant.CallOkAsync("create_task", new { Subject = "Call Acme", WhatId = duplicate })).Str("Id");
        string meeting = (await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = "Acme QBR", StartDateTime = "2030-01-10T15:00:00Z", EndDateTime = "2030-01-10T16:00:00Z", WhatId = duplicate } })).Str("Id");
        string subsidiary = (await tenant.CallOkAsync("create_account", new { Name = "Acme Europe", ParentId = duplicate })).Str("Id");
        string binnedTask = (await tenant.CallOkAsync("create_task", new { Subject = "Old note", WhatId = duplicate })).Str("Id");
        await tenant.CallOkAsync("delete_record", new { Id = binnedTask });
        int logBefore = ChangeLogFile.Read(server, tenant.TenantId).Count;

        var merged = await tenant.CallOkAsync("merge_records", new
        {
            @object = "Account", master_id = master, duplicate_ids = new[] { duplicate }, fields = new { Phone = duplicate, Website = "www.acme.test" },
        });

        Assert.Equal(master, merged.GetProperty("master").Str("Id"));
        Assert.Equal("+1 555 0100", merged.GetProperty("master").Str("Phone"));
        Assert.Equal("www.acme.test", merged.GetProperty("master").Str("Website"));
        Assert.Equal("Technology", merged.GetProperty("master").Str("Industry"));
        var gone = Assert.Single(merged.GetProperty("merged").EnumerateArray());
        Assert.Equal(duplicate, gone.Str("Id"));
        Assert.Equal("ACME Inc.", gone.Str("Name"));
        Assert.Equal(
            ["Account.ParentId=1", "Contact.AccountId=1", "Event.WhatId=1", "Opportunity.AccountId=1", "Task.WhatId=2"],
            merged.GetProperty("moved").EnumerateArray().Select(m => $"{m.Str("object")}.{m.Str("field")}={m.GetProperty("count").GetInt32()}").Order(StringComparer.Ordinal));
        Assert.Equal("+1 555 0100", merged.GetProperty("masterChanges").GetProperty("Phone").Str("after"));
        Assert.Equal(2, merged.GetProperty("masterChanges").EnumerateObject().Count());

        Assert.Equal(master, (await tenant.CallOkAsync("get_contact", new { Id = contact })).Str("AccountId"));
        Assert.Equal(master, (await tenant.CallOkAsync("get_opportunity", new { Id = deal })).Str("AccountId"));
        Assert.Equal(master, (await tenant.CallOkAsync("get_record", new { Id = task })).Str("WhatId"));
        Assert.Equal(master, (await tenant.CallOkAsync("get_record", new { Id = meeting })).Str("WhatId"));
        Assert.Equal(master, (await tenant.CallOkAsync("get_record", new { Id = subsidiary })).Str("ParentId"));
        var bin = await tenant.CallOkAsync("find_records", new { @object = "Task", deleted = true });
        Assert.Equal(master, Assert.Single(bin.GetProperty("records").EnumerateArray()).Str("WhatId"));
        var accountsInBin = await tenant.CallOkAsync("find_records", new { @object = "Account", deleted = true });
        Assert.Equal(duplicate, Assert.Single(accountsInBin.GetProperty("records").EnumerateArray()).Str("Id"));
        Assert.StartsWith($"ENTITY_IS_DELETED: Account '{duplicate}' is in the recycle bin", Mcp.ErrorText(await tenant.CallAsync("get_account", new { Id = duplicate })));

        // One transaction, logged like every write: the master's fields, each moved child, then the duplicate naming its master.
        var log = ChangeLogFile.Read(server, tenant.TenantId).Skip(logBefore).ToList();
        Assert.Equal(8, log.Count);
        Assert.Equal(("Account", master, "updated"), (log[0].Object, log[0].RecordId, log[0].Operation));
        Assert.Equal("www.acme.test", log[0].Changes.GetProperty("Website").Str("after"));
        var children = log.Skip(1).Take(6).ToList();
        Assert.Equal(
            // A task's derived AccountId follows its WhatId.
            new[] { (contact, "AccountId"), (deal, "AccountId"), (task, "AccountId,WhatId"), (meeting, "WhatId"), (subsidiary, "ParentId"), (binnedTask, "AccountId,WhatId") }.OrderBy(p => p.Item1, StringComparer.Ordinal),
            children.Select(r => (r.RecordId, string.Join(',', r.Changes.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal)))).OrderBy(p => p.RecordId, StringComparer.Ordinal));
        Assert.All(children, r => Assert.Equal("updated", r.Operation));
        Assert.All(children, r => Assert.All(r.Changes.EnumerateObject(), c => Assert.Equal(duplicate, c.Value.Str("before"))));
        Assert.Equal(master, (await tenant.CallOkAsync("get_record", new { Id = task })).Str("AccountId"));
        Assert.Equal(("Account", duplicate, "merged"), (log[7].Object, log[7].RecordId, log[7].Operation));
        Assert.True(log[7].Changes.GetProperty("IsDeleted").GetProperty("after").GetBoolean());
        Assert.Equal(master, log[7].Changes.GetProperty("MasterRecordId").Str("after"));
        Assert.All(log, r => Assert.Equal((tenant.UserId, tenant.KeyId), (r.Actor, r.KeyId)));

        // Restoring the duplicate brings back the record alone; its former children stay with the master.
        var restored = await tenant.CallOkAsync("restore_record", new { Id = duplicate });
        Assert.Empty(restored.GetProperty("cascade").EnumerateArray());
        Assert.Equal("ACME Inc.", (await tenant.CallOkAsync("get_account", new { Id = duplicate })).Str("Name"));
        Assert.Equal(master, (await tenant.CallOkAsync("get_contact", new { Id = contact })).Str("AccountId"));
    }

    [Fact]
    public async Task MergeRecords_TwoContacts_TakesEachFieldFromTheChosenDuplicateAndRepointsPeopleAndActivities()
    {
        var tenant = await server.CreateTenantAsync("Merge contacts");
        string boss = (await tenant.CallOkAsync("create_contact", new { LastName = "Boss" })).Str("Id");
        string first = (await tenant.CallOkAsync("create_contact", new { FirstName = "Dana", LastName = "Ng", Title = "CFO", ReportsToId = boss })).Str("Id");
        string second = (await tenant.CallOkAsync("create_contact", new { FirstName = "Dana", LastName = "Ng", Phone = "+1 555 0142", Title = "Finance" })).Str("Id");
        string master = (await tenant.CallOkAsync("create_contact", new { FirstName = "Dana", LastName = "Ng", Email = "dana@ng.test", ReportsToId = first })).Str("Id");
        string report = (await tenant.CallOkAsync("create_contact", new { LastName = "Analyst", ReportsToId = second })).Str("Id");
        string task1 = (await tenant.CallOkAsync("create_task", new { Subject = "Send contract", WhoId = first })).Str("Id");
        string task2 = (await tenant.CallOkAsync("create_task", new { Subject = "Book lunch", WhoId = second })).Str("Id");

        var merged = await tenant.CallOkAsync("merge_records", new
        {
            @object = "Contact", master_id = master, duplicate_ids = new[] { first, second[..15] },
            fields = new { Title = first, Phone = second, ReportsToId = first },
        });

        var kept = merged.GetProperty("master");
        Assert.Equal("CFO", kept.Str("Title"));
        Assert.Equal("+1 555 0142", kept.Str("Phone"));
        Assert.Equal("dana@ng.test", kept.Str("Email"));
        Assert.Equal(boss, kept.Str("ReportsToId")); // taken from the first duplicate, not cleared as a link to it
        Assert.Equal([first, second], merged.GetProperty("merged").EnumerateArray().Select(m => m.Str("Id")));
        Assert.Equal(master, (await tenant.CallOkAsync("get_record", new { Id = report })).Str("ReportsToId"));
        var tasks = await tenant.CallOkAsync("find_records", new { @object = "Task", where = new { WhoId = master } });
        Assert.Equal(new[] { task1, task2 }.Order(StringComparer.Ordinal), tasks.GetProperty("records").EnumerateArray().Select(t => t.Str("Id")).Order(StringComparer.Ordinal));
        var live = await tenant.CallOkAsync("find_records", new { @object = "Contact", where = new { LastName = "Ng" } });
        Assert.Equal(master, Assert.Single(live.GetProperty("records").EnumerateArray()).Str("Id"));
        Assert.Equal(2, (await tenant.CallOkAsync("find_records", new { @object = "Contact", deleted = true })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task MergeRecords_MasterLinkedToItsDuplicate_ClearsTheLink()
    {
        var tenant = await server.CreateTenantAsync("Merge self link");
        string duplicate = (await tenant.CallOkAsync("create_account", new { Name = "Globex Holdings" })).Str("Id");
        string master = (await tenant.CallOkAsync("create_account", new { Name = "Globex", ParentId = duplicate })).Str("Id");

        var merged = await tenant.CallOkAsync("merge_records", new { @object = "Account", master_id = master, duplicate_ids = new[] { duplicate } });

        Assert.False(merged.GetProperty("master").TryGetProperty("ParentId", out _));
        Assert.Equal(duplicate, merged.GetProperty("masterChanges").GetProperty("ParentId").Str("before"));
        Assert.Equal(JsonValueKind.Null, merged.GetProperty("masterChanges").GetProperty("ParentId").GetProperty("after").ValueKind);
        Assert.False((await tenant.CallOkAsync("get_account", new { Id = master })).TryGetProperty("ParentId", out _));
    }

    [Fact]
    public async Task MergeRecords_Leads_MovesTheirActivities()
    {
        var tenant = await server.CreateTenantAsync("Merge leads");
        string master = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Reyes", Company = "Northwind", Rating = "Warm" } })).Str("Id");
        string duplicate = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Reyes", Company = "Northwind Traders", Rating = "Hot" } })).Str("Id");
        string task = (await tenant.CallOkAsync("create_task", new { Subject = "Follow up", WhoId = duplicate })).Str("Id");

        var merged = await tenant.CallOkAsync("merge_records", new { @object = "Lead", master_id = master, duplicate_ids = new[] { duplicate }, fields = new { Rating = duplicate } });

        Assert.Equal("Hot", merged.GetProperty("master").Str("Rating"));
        Assert.Equal("Northwind", merged.GetProperty("master").Str("Company"));
        Assert.Equal(master, (await tenant.CallOkAsync("get_record", new { Id = task })).Str("WhoId"));
    }

    [Fact]
    public async Task MergeRecords_BadInput_ReturnsErrorsThatSayWhatToSendAndWritesNothing()
    {
        var tenant = await server.CreateTenantAsync("Merge bad input");
        string a = (await tenant.CallOkAsync("create_account", new { Name = "A" })).Str("Id");
        string b = (await tenant.CallOkAsync("create_account", new { Name = "B" })).Str("Id");
        string c = (await tenant.CallOkAsync("create_account", new { Name = "C" })).Str("Id");
        string d = (await tenant.CallOkAsync("create_account", new { Name = "D" })).Str("Id");
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Ng" })).Str("Id");
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "X", StageName = "Prospecting", CloseDate = "2030-01-31" })).Str("Id");
        int logBefore = ChangeLogFile.Read(server, tenant.TenantId).Count;

        async Task<string> Fails(object args) => Mcp.ErrorText(await tenant.CallAsync("merge_records", args));

        Assert.Equal("INVALID_ARGUMENT: Opportunity records cannot be merged; merge_records merges Account, Contact, Lead records, as Salesforce does.",
            await Fails(new { @object = "Opportunity", master_id = deal, duplicate_ids = new[] { deal } }));
        Assert.Equal($"INVALID_ARGUMENT: Account {a} is both the master and a duplicate. A record cannot merge into itself: send another duplicate.",
            await Fails(new { @object = "Account", master_id = a, duplicate_ids = new[] { a } }));
        Assert.Equal($"INVALID_ARGUMENT: Account {b} appears twice in duplicate_ids. Send each duplicate once.",
            await Fails(new { @object = "Account", master_id = a, duplicate_ids = new[] { b, b } }));
        Assert.Equal($"NOT_FOUND: '{contact}' is not a Account Id (Account Ids start with 001). It is the Id of a Contact.",
            await Fails(new { @object = "Account", master_id = a, duplicate_ids = new[] { contact } }));
        Assert.Equal($"NOT_FOUND: '{contact}' is not a Account Id (Account Ids start with 001). It is the Id of a Contact.",
            await Fails(new { @object = "Account", master_id = contact, duplicate_ids = new[] { a } }));
        Assert.Equal("INVALID_ARGUMENT: duplicate_ids must hold 1 or 2 Account Ids to merge into the master; 3 were sent. Merge more in several calls.",
            await Fails(new { @object = "Account", master_id = a, duplicate_ids = new[] { b, c, d } }));
        Assert.Equal("INVALID_ARGUMENT: duplicate_ids must hold 1 or 2 Account Ids to merge into the master; 0 were sent. Merge more in several calls.",
            await Fails(new { @object = "Account", master_id = a, duplicate_ids = Array.Empty<string>() }));
        Assert.Equal("REQUIRED_FIELD_MISSING: merge_records.duplicate_ids is required. Send a value for 'duplicate_ids'.",
            await Fails(new { @object = "Account", master_id = a }));
        Assert.StartsWith("INVALID_FIELD: ", await Fails(new { @object = "Account", master_id = a, duplicate_ids = new[] { b }, fields = new { Phnoe = b } }));

        await tenant.CallOkAsync("delete_record", new { Id = d });
        logBefore++;
        Assert.StartsWith($"ENTITY_IS_DELETED: Account '{d}' is in the recycle bin", await Fails(new { @object = "Account", master_id = a, duplicate_ids = new[] { d } }));
        Assert.Equal(logBefore, ChangeLogFile.Read(server, tenant.TenantId).Count);
    }

    [Fact]
    public async Task MergeRecords_IdsOfAnotherTenant_AreNotFoundAndNothingChanges()
    {
        var acme = await server.CreateTenantAsync("Merge acme");
        var globex = await server.CreateTenantAsync("Merge globex");
        string theirs = (await acme.CallOkAsync("create_contact", new { LastName = "Ng" })).Str("Id");
        string theirTask = (await acme.CallOkAsync("create_task", new { Subject = "Call", WhoId = theirs })).Str("Id");
        string mine = (await globex.CallOkAsync("create_contact", new { LastName = "Ng" })).Str("Id");

        Assert.Equal($"NOT_FOUND: no contact '{theirs}' in this org. Check the Id, or search for the record first.",
            Mcp.ErrorText(await globex.CallAsync("merge_records", new { @object = "Contact", master_id = mine, duplicate_ids = new[] { theirs } })));
        Assert.Equal($"NOT_FOUND: no contact '{theirs}' in this org. Check the Id, or search for the record first.",
            Mcp.ErrorText(await globex.CallAsync("merge_records", new { @object = "Contact", master_id = theirs, duplicate_ids = new[] { mine } })));

        Assert.Equal(theirs, (await acme.CallOkAsync("get_record", new { Id = theirTask })).Str("WhoId"));
        Assert.Equal("Ng", (await acme.CallOkAsync("get_contact", new { Id = theirs })).Str("LastName"));
        Assert.Equal("Ng", (await globex.CallOkAsync("get_contact", new { Id = mine })).Str("LastName"));
    }

    [Fact]
    public async Task MergeRecords_DryRunWritesNothing_AndAnIdempotencyKeyAnswersARetryWithoutMergingAgain()
    {
        var tenant = await server.CreateTenantAsync("Merge options");
        string master = (await tenant.CallOkAsync("create_contact", new { LastName = "Ng" })).Str("Id");
        string duplicate = (await tenant.CallOkAsync("create_contact", new { LastName = "Ng", Title = "CFO" })).Str("Id");
        string task = (await tenant.CallOkAsync("create_task", new { Subject = "Call", WhoId = duplicate })).Str("Id");
        int logBefore = ChangeLogFile.Read(server, tenant.TenantId).Count;

        var dry = await tenant.CallOkAsync("merge_records", new { @object = "Contact", master_id = master, duplicate_ids = new[] { duplicate }, fields = new { Title = duplicate }, dry_run = true });
        Assert.True(dry.GetProperty("dryRun").GetBoolean());
        Assert.Equal("CFO", dry.GetProperty("master").Str("Title"));
        Assert.Equal(1, Assert.Single(dry.GetProperty("moved").EnumerateArray()).GetProperty("count").GetInt32());
        Assert.Equal(logBefore, ChangeLogFile.Read(server, tenant.TenantId).Count);
        Assert.Equal(duplicate, (await tenant.CallOkAsync("get_record", new { Id = task })).Str("WhoId"));

        var args = new { @object = "Contact", master_id = master, duplicate_ids = new[] { duplicate }, fields = new { Title = duplicate }, idempotency_key = "merge-ng-1" };
        var first = await tenant.CallOkAsync("merge_records", args);
        Assert.False(first.TryGetProperty("idempotentReplay", out _));
        var again = await tenant.CallOkAsync("merge_records", args);
        Assert.True(again.GetProperty("idempotentReplay").GetBoolean());
        Assert.Equal("CFO", again.GetProperty("master").Str("Title"));
        Assert.Equal(duplicate, Assert.Single(again.GetProperty("merged").EnumerateArray()).Str("Id"));
        Assert.Equal(logBefore + 3, ChangeLogFile.Read(server, tenant.TenantId).Count);
        Assert.StartsWith("IDEMPOTENCY_KEY_REUSED: ",
            Mcp.ErrorText(await tenant.CallAsync("merge_records", new { @object = "Contact", master_id = master, duplicate_ids = new[] { duplicate }, fields = new { Title = "CEO" }, idempotency_key = "merge-ng-1" })));
    }
}
