namespace RevOps.Server.Tests;

/// <summary>create_task with follow_up: a completed call and the next task, both written in one transaction or neither.</summary>
public sealed class TaskFollowUpTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task CreateTask_WithFollowUp_LogsTheDoneTaskAndCreatesTheNextAboutTheSameRecords()
    {
        var tenant = await server.CreateTenantAsync("Follow up");
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Follow Co" })).Str("Id");
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Caller", AccountId = account })).Str("Id");
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Follow deal", StageName = "Prospecting", CloseDate = "2026-12-31", AccountId = account })).Str("Id");
        int before = ChangeLogFile.Read(server, tenant.TenantId).Count;

        var logged = await tenant.CallOkAsync("create_task", new
        {
            Subject = "Discovery call", TaskSubtype = "Call", WhoId = contact, WhatId = deal, Description = "Wants a proposal.",
            follow_up = new { Subject = "Send proposal", ActivityDate = "2026-12-12" },
        });
        Assert.Equal(("Discovery call", "Completed", contact, deal), (logged.Str("Subject"), logged.Str("Status"), logged.Str("WhoId"), logged.Str("WhatId")));
        var next = logged.GetProperty("followUp");
        Assert.Equal(("Send proposal", "Not Started", "2026-12-12", tenant.UserId), (next.Str("Subject"), next.Str("Status"), next.Str("ActivityDate"), next.Str("OwnerId")));

        var stored = await tenant.CallOkAsync("get_record", new { Id = next.Str("Id") });
        Assert.Equal((contact, deal, account, "Not Started", "2026-12-12"), (stored.Str("WhoId"), stored.Str("WhatId"), stored.Str("AccountId"), stored.Str("Status"), stored.Str("ActivityDate")));
        Assert.Equal("Completed", (await tenant.CallOkAsync("get_record", new { Id = logged.Str("Id") })).Str("Status"));

        // Two created changes, from the one request.
        var rows = ChangeLogFile.Read(server, tenant.TenantId).Skip(before).ToArray();
        Assert.Equal([("Task", logged.Str("Id"), "created"), ("Task", next.Str("Id"), "created")], rows.Select(r => (r.Object, r.RecordId, r.Operation)));
        Assert.Equal(rows[0].RequestId, rows[1].RequestId);

        // Without follow_up, create_task is as before: one open task.
        var plain = await tenant.CallOkAsync("create_task", new { Subject = "Plain", WhoId = contact });
        Assert.Equal("Not Started", plain.Str("Status"));
        Assert.False(plain.TryGetProperty("followUp", out _));
    }

    [Fact]
    public async Task CreateTask_BadFollowUp_IsRefusedAndNeitherTaskIsWritten()
    {
        var tenant = await server.CreateTenantAsync("Follow up refused");
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Nobody" })).Str("Id");
        int before = ChangeLogFile.Read(server, tenant.TenantId).Count;

        Assert.StartsWith("INVALID_TYPE: follow_up: ", Mcp.ErrorText(await tenant.CallAsync("create_task",
            new { Subject = "Call", WhoId = contact, follow_up = new { Subject = "Next", ActivityDate = "next tuesday" } })));
        Assert.Equal("REQUIRED_FIELD_MISSING: follow_up needs a Subject, e.g. {\"Subject\": \"Send proposal\", \"ActivityDate\": \"2026-12-12\"}.",
            Mcp.ErrorText(await tenant.CallAsync("create_task", new { Subject = "Call", WhoId = contact, follow_up = new { ActivityDate = "2026-12-12" } })));
        Assert.Equal("INVALID_ARGUMENT: follow_up.WhoId: the follow-up is about the same records as the task. Send WhoId beside Subject, not inside follow_up.",
            Mcp.ErrorText(await tenant.CallAsync("create_task", new { Subject = "Call", follow_up = new { Subject = "Next", WhoId = contact } })));
        Assert.Equal("INVALID_ARGUMENT: follow_up writes two tasks in one transaction and takes neither dry_run nor idempotency_key. Send it without them.",
            Mcp.ErrorText(await tenant.CallAsync("create_task", new { Subject = "Call", dry_run = true, follow_up = new { Subject = "Next" } })));
        Assert.StartsWith("INVALID_CROSS_REFERENCE_KEY: follow_up: ", Mcp.ErrorText(await tenant.CallAsync("create_task",
            new { Subject = "Call", WhoId = contact, follow_up = new { Subject = "Next", OwnerId = "005000000000009AAA" } })));
        // The done task is the one at fault: its own error, nothing written either.
        Assert.StartsWith("INVALID_CROSS_REFERENCE_KEY: ", Mcp.ErrorText(await tenant.CallAsync("create_task",
            new { Subject = "Call", WhatId = "006000000000009AAA", follow_up = new { Subject = "Next" } })));

        Assert.Equal(before, ChangeLogFile.Read(server, tenant.TenantId).Count);
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Task" })).GetProperty("totalSize").GetInt32());
    }
}
