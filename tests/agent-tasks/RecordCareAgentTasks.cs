namespace RevOps.Server.Tests.AgentTasks;

/// <summary>Agent tasks that keep people, accounts and activities in order: numbers 14 to 22 of the report.</summary>
[Collection(AgentTaskCollection.Name)]
public sealed class RecordCareAgentTasks(CrmServerFixture server, AgentTaskReport report, ITestOutputHelper output)
{
    [Fact]
    public async Task HandTheOpenTasksOfADepartingContactToTheirSuccessor()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 14");
        string umbrella = (await tenant.CallOkAsync("create_account", new { Name = "Umbrella" })).Str("Id");
        string ivan = (await tenant.CallOkAsync("create_contact", new { FirstName = "Ivan", LastName = "Petrov", AccountId = umbrella })).Str("Id");
        string olga = (await tenant.CallOkAsync("create_contact", new { FirstName = "Olga", LastName = "Berg", AccountId = umbrella })).Str("Id");
        var open = new List<string>();
        foreach (var status in new[] { "Not Started", "In Progress", "Waiting on someone else" })
            open.Add((await tenant.CallOkAsync("create_task", new { Subject = $"Follow-up ({status})", WhoId = ivan, Status = status })).Str("Id"));
        string done = (await tenant.CallOkAsync("create_task", new { Subject = "Intro call", WhoId = ivan, Status = "Completed" })).Str("Id");

        await using (agent)
        {
            var people = await agent.CallAsync("soql_query", new { query = "SELECT Id, Name FROM Contact WHERE Name IN ('Ivan Petrov', 'Olga Berg')" });
            var byName = people.GetProperty("records").EnumerateArray().ToDictionary(r => r.Str("Name"), r => r.Str("Id"));
            var tasks = await agent.CallAsync("find_records", new { @object = "Task", where = new { WhoId = byName["Ivan Petrov"], IsClosed = false }, fields = new[] { "Subject" } });
            var handOver = tasks.GetProperty("records").EnumerateArray().Select(t => new { Id = t.Str("Id"), WhoId = byName["Olga Berg"] }).ToArray();
            await agent.CallAsync("bulk_write", new { @object = "Task", operation = "update", records = handOver });
            report.Record(14, "reassign a contact's open tasks (3 tasks)", agent, maxCalls: 3, output);
        }
        foreach (var id in open)
            Assert.Equal(olga, (await tenant.CallOkAsync("get_record", new { Id = id })).Str("WhoId"));
        Assert.Equal(ivan, (await tenant.CallOkAsync("get_record", new { Id = done })).Str("WhoId"));
    }

    [Fact]
    public async Task AddAChampionFlag_AndSetItOnEveryVp()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 15");
        string vpSales = (await tenant.CallOkAsync("create_contact", new { LastName = "Stone", Title = "VP Sales" })).Str("Id");
        string vpEng = (await tenant.CallOkAsync("create_contact", new { LastName = "Quinn", Title = "VP Engineering" })).Str("Id");
        string engineer = (await tenant.CallOkAsync("create_contact", new { LastName = "Ruiz", Title = "Engineer" })).Str("Id");

        await using (agent)
        {
            await agent.CallAsync("define_custom_field", new { @object = "Contact", api_name = "Champion__c", type = "Checkbox", description = "Argues for us inside the account." });
            var vps = await agent.CallAsync("find_records", new { @object = "Contact", where = new { Title = new { startsWith = "VP" } }, fields = new[] { "Name" } });
            var champions = vps.GetProperty("records").EnumerateArray().Select(vp => new Dictionary<string, object> { ["Id"] = vp.Str("Id"), ["Champion__c"] = true }).ToArray();
            await agent.CallAsync("bulk_write", new { @object = "Contact", operation = "update", records = champions });
            report.Record(15, "custom field filled on a set of records (2)", agent, maxCalls: 3, output);
        }
        Assert.True((await tenant.CallOkAsync("get_record", new { Id = vpSales })).GetProperty("Champion__c").GetBoolean());
        Assert.True((await tenant.CallOkAsync("get_record", new { Id = vpEng })).GetProperty("Champion__c").GetBoolean());
        Assert.False((await tenant.CallOkAsync("get_record", new { Id = engineer })).TryGetProperty("Champion__c", out _)); // defined after it was created: no value
    }

    [Fact]
    public async Task FindTheInitechContactByEmailDomain_AndUpdateThePhone()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 16");
        string peter = (await tenant.CallOkAsync("create_contact", new { FirstName = "Peter", LastName = "Gibbons", Email = "peter@initech.test", Phone = "+1 555 0100" })).Str("Id");
        string bill = (await tenant.CallOkAsync("create_contact", new { FirstName = "Bill", LastName = "Lumbergh", Email = "bill@initrode.test", Phone = "+1 555 0101" })).Str("Id");

        await using (agent)
        {
            var found = await agent.CallAsync("soql_query", new { query = "SELECT Id, Name, Phone FROM Contact WHERE Email LIKE '%@initech.test'" });
            await agent.CallAsync("update_contact", new { Id = found.GetProperty("records")[0].Str("Id"), Phone = "+1 555 0199" });
            report.Record(16, "find contact by email domain + update phone", agent, maxCalls: 2, output);
        }
        Assert.Equal("+1 555 0199", (await tenant.CallOkAsync("get_contact", new { Id = peter })).Str("Phone"));
        Assert.Equal("+1 555 0101", (await tenant.CallOkAsync("get_contact", new { Id = bill })).Str("Phone"));
    }

    [Fact]
    public async Task DeleteTheTestAccount_ThenRestoreIt()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 17");
        string test = (await tenant.CallOkAsync("create_account", new { Name = "Test Account (demo)" })).Str("Id");
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Demo", AccountId = test })).Str("Id");
        string real = (await tenant.CallOkAsync("create_account", new { Name = "Real Customer" })).Str("Id");

        await using (agent)
        {
            var found = await agent.CallAsync("search_accounts", new { name = "Test Account", fields = new[] { "Name" } });
            string id = found.GetProperty("records")[0].Str("Id");
            var deleted = await agent.CallAsync("delete_record", new { Id = id });
            Assert.Equal(contact, deleted.GetProperty("cascade")[0].Str("Id"));
            await agent.CallAsync("restore_record", new { Id = id });
            report.Record(17, "delete a test account, then restore it", agent, maxCalls: 3, output);
        }
        Assert.Equal("Test Account (demo)", (await tenant.CallOkAsync("get_account", new { Id = test })).Str("Name"));
        Assert.Equal(test, (await tenant.CallOkAsync("get_contact", new { Id = contact })).Str("AccountId"));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Account", deleted = true })).GetProperty("totalSize").GetInt32());
        Assert.Equal("Real Customer", (await tenant.CallOkAsync("get_account", new { Id = real })).Str("Name"));
    }

    [Fact]
    public async Task WhichMeetingsDoWeHaveWithAcmeNextWeek()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 18");
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        string globex = (await tenant.CallOkAsync("create_account", new { Name = "Globex" })).Str("Id");
        var today = DateTime.UtcNow.Date;
        var nextSunday = today.AddDays(7 - (int)today.DayOfWeek); // SOQL weeks start on Sunday
        foreach (var (subject, start, account) in new[]
        {
            ("Acme QBR", nextSunday.AddDays(1).AddHours(10), acme), ("Acme security review", nextSunday.AddDays(4).AddHours(14), acme),
            ("Acme kickoff", nextSunday.AddDays(-7).AddHours(9), acme), ("Acme renewal", nextSunday.AddDays(8).AddHours(9), acme),
            ("Globex demo", nextSunday.AddDays(2).AddHours(16), globex),
        })
            await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = subject, StartDateTime = start, EndDateTime = start.AddHours(1), WhatId = account } });

        await using (agent)
        {
            var meetings = await agent.CallAsync("soql_query", new { query = "SELECT Subject, StartDateTime FROM Event WHERE What.Name = 'Acme' AND StartDateTime = NEXT_WEEK ORDER BY StartDateTime" });
            Assert.Equal(["Acme QBR", "Acme security review"], meetings.GetProperty("records").EnumerateArray().Select(r => r.Str("Subject")));
            report.Record(18, "an account's meetings next week", agent, maxCalls: 1, output);
        }
    }

    [Fact]
    public async Task ScheduleADemoWithTheCtoOfGlobex()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 19");
        string globex = (await tenant.CallOkAsync("create_account", new { Name = "Globex" })).Str("Id");
        string cto = (await tenant.CallOkAsync("create_contact", new { FirstName = "Hank", LastName = "Scorpio", Title = "CTO", AccountId = globex })).Str("Id");
        await tenant.CallOkAsync("create_contact", new { FirstName = "Frank", LastName = "Grimes", Title = "Engineer", AccountId = globex });
        var today = DateTime.UtcNow.Date;
        var tuesday = today.AddDays(((int)DayOfWeek.Tuesday - (int)today.DayOfWeek + 7) % 7 + 7).AddHours(15);

        await using (agent)
        {
            var found = await agent.CallAsync("soql_query", new { query = "SELECT Id, AccountId FROM Contact WHERE Account.Name = 'Globex' AND Title = 'CTO'" });
            var person = found.GetProperty("records")[0];
            await agent.CallAsync("create_record", new
            {
                @object = "Event",
                fields = new { Subject = "Product demo", WhoId = person.Str("Id"), WhatId = person.Str("AccountId"), StartDateTime = tuesday, EndDateTime = tuesday.AddMinutes(45), Type = "Meeting" },
            });
            report.Record(19, "schedule a meeting with an account's CTO", agent, maxCalls: 2, output);
        }
        var meeting = (await tenant.CallOkAsync("find_records", new { @object = "Event", where = new { WhoId = cto } })).GetProperty("records")[0];
        Assert.Equal(globex, meeting.Str("WhatId"));
        Assert.Equal(45, meeting.GetProperty("DurationInMinutes").GetInt32());
        Assert.Equal(tuesday.ToString("yyyy-MM-dd'T'15:00:00.000'+0000'"), meeting.Str("StartDateTime"));
    }

    [Fact]
    public async Task DisqualifyALeadAfterACall_AndLogTheCall()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 20");
        string gus = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Gus", LastName = "Fring", Company = "Los Pollos", Email = "gus@pollos.test" } })).Str("Id");
        string other = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Salamanca", Company = "Pollos Rivals", Email = "hector@rivals.test" } })).Str("Id");

        await using (agent)
        {
            var found = await agent.CallAsync("search_crm", new { text = "gus@pollos.test", objects = new[] { "Lead" } });
            string lead = found.GetProperty("records")[0].Str("Id");
            await agent.CallAsync("update_record", new { Id = lead, fields = new { Status = "Closed - Not Converted", Rating = "Cold" } });
            await agent.CallAsync("create_task", new { Subject = "Call: no budget this year", WhoId = lead, Status = "Completed", Type = "Call" });
            report.Record(20, "disqualify a lead + log the call", agent, maxCalls: 3, output);
        }
        var disqualified = await tenant.CallOkAsync("get_record", new { Id = gus });
        Assert.Equal("Closed - Not Converted", disqualified.Str("Status"));
        Assert.Equal("Cold", disqualified.Str("Rating"));
        Assert.Equal("Open - Not Contacted", (await tenant.CallOkAsync("get_record", new { Id = other })).Str("Status"));
        Assert.Equal("Call", (await tenant.CallOkAsync("find_records", new { @object = "Task", where = new { WhoId = gus } })).GetProperty("records")[0].Str("Type"));
    }

    [Fact]
    public async Task WhichContactsAtAcmeHaveNoEmail()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 21");
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        string globex = (await tenant.CallOkAsync("create_account", new { Name = "Globex" })).Str("Id");
        await tenant.CallOkAsync("create_contact", new { LastName = "Adams", AccountId = acme });
        await tenant.CallOkAsync("create_contact", new { LastName = "Baker", AccountId = acme, Email = "baker@acme.test" });
        await tenant.CallOkAsync("create_contact", new { LastName = "Clark", AccountId = acme });
        await tenant.CallOkAsync("create_contact", new { LastName = "Davis", AccountId = globex });

        await using (agent)
        {
            var missing = await agent.CallAsync("soql_query", new { query = "SELECT Name FROM Contact WHERE Account.Name = 'Acme' AND Email = null ORDER BY Name" });
            Assert.Equal(["Adams", "Clark"], missing.GetProperty("records").EnumerateArray().Select(r => r.Str("Name")));
            report.Record(21, "contacts at an account without email", agent, maxCalls: 1, output);
        }
    }

    [Fact]
    public async Task MakeAcmeEuropeASubsidiaryOfAcme()
    {
        var (tenant, agent) = await AgentSession.StartAsync(server, "Agent task 22");
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        string europe = (await tenant.CallOkAsync("create_account", new { Name = "Acme Europe" })).Str("Id");
        await tenant.CallOkAsync("create_account", new { Name = "Globex" });

        await using (agent)
        {
            var found = await agent.CallAsync("search_accounts", new { name = "Acme", fields = new[] { "Name" } });
            var byName = found.GetProperty("records").EnumerateArray().ToDictionary(r => r.Str("Name"), r => r.Str("Id"));
            await agent.CallAsync("update_record", new { Id = byName["Acme Europe"], fields = new { ParentId = byName["Acme"] } });
            report.Record(22, "set an account's parent", agent, maxCalls: 2, output);
        }
        Assert.Equal(acme, (await tenant.CallOkAsync("get_account", new { Id = europe })).Str("ParentId"));
    }
}
