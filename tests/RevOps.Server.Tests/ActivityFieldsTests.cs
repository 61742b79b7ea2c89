using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// Salesforce's activity fields through every channel: an Event's time sent either way (StartDateTime/EndDateTime,
/// or ActivityDateTime/ActivityDate with DurationInMinutes) and kept consistent; all-day events; Task's derived
/// AccountId and IsClosed, which callers cannot write; TaskSubtype.
/// </summary>
public sealed class ActivityFieldsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string V = "/services/data/v60.0";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateEvent_ActivityDateTimeAndDuration_StartAndEndDerived()
    {
        var tenant = await server.CreateTenantAsync("Activity classic");
        var created = await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = "Demo", ActivityDateTime = "2026-12-02T15:00:00+01:00", DurationInMinutes = 90 } });

        var read = await tenant.CallOkAsync("get_record", new { Id = created.Str("Id") });
        Assert.Equal("2026-12-02T14:00:00.000+0000", read.Str("StartDateTime"));
        Assert.Equal("2026-12-02T15:30:00.000+0000", read.Str("EndDateTime"));
        Assert.Equal("2026-12-02T14:00:00.000+0000", read.Str("ActivityDateTime"));
        Assert.Equal(90, read.GetProperty("DurationInMinutes").GetInt32());
        Assert.Equal("2026-12-02", read.Str("ActivityDate"));
        Assert.False(read.GetProperty("IsAllDayEvent").GetBoolean());
    }

    [Fact]
    public async Task CreateEvent_StartAndEnd_ActivityDateTimeAndDurationDerived()
    {
        var tenant = await server.CreateTenantAsync("Activity modern");
        var created = await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = "Demo", StartDateTime = "2026-12-02T09:15:00Z", EndDateTime = "2026-12-02T10:00:00Z" } });

        var read = await tenant.CallOkAsync("get_record", new { Id = created.Str("Id") });
        Assert.Equal("2026-12-02T09:15:00.000+0000", read.Str("ActivityDateTime"));
        Assert.Equal(45, read.GetProperty("DurationInMinutes").GetInt32());
        Assert.Equal("2026-12-02", read.Str("ActivityDate"));
        var found = await tenant.CallOkAsync("find_records", new { @object = "Event", where = new { DurationInMinutes = 45 } });
        Assert.Equal(created.Str("Id"), Assert.Single(found.GetProperty("records").EnumerateArray()).Str("Id"));
    }

    [Fact]
    public async Task CreateEvent_AllDay_MidnightUtcWholeDays()
    {
        var tenant = await server.CreateTenantAsync("Activity all day");
        string oneDay = (await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = "Offsite", IsAllDayEvent = true, ActivityDate = "2026-12-07" } })).Str("Id");
        var read = await tenant.CallOkAsync("get_record", new { Id = oneDay });
        Assert.Equal("2026-12-07T00:00:00.000+0000", read.Str("StartDateTime"));
        Assert.Equal("2026-12-08T00:00:00.000+0000", read.Str("EndDateTime"));
        Assert.Equal("2026-12-07T00:00:00.000+0000", read.Str("ActivityDateTime"));
        Assert.Equal(1440, read.GetProperty("DurationInMinutes").GetInt32());
        Assert.Equal("2026-12-07", read.Str("ActivityDate"));

        string twoDays = (await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = "Trade show", IsAllDayEvent = true, ActivityDate = "2026-12-09", DurationInMinutes = 2880 } })).Str("Id");
        var show = await tenant.CallOkAsync("get_record", new { Id = twoDays });
        Assert.Equal("2026-12-09T00:00:00.000+0000", show.Str("StartDateTime"));
        Assert.Equal("2026-12-11T00:00:00.000+0000", show.Str("EndDateTime"));

        // Moving the day keeps the length.
        var moved = await tenant.CallOkAsync("update_record", new { Id = twoDays, fields = new { ActivityDate = "2026-12-14" } });
        Assert.Equal("2026-12-14T00:00:00.000+0000", moved.Str("StartDateTime"));
        Assert.Equal("2026-12-16T00:00:00.000+0000", moved.Str("EndDateTime"));
        Assert.Equal(2880, moved.GetProperty("DurationInMinutes").GetInt32());

        Assert.Equal("INVALID_FIELD_VALUE: Event.DurationInMinutes is 90 but an all-day event lasts whole days from midnight UTC (2026-12-14T00:00:00.000+0000). Send DurationInMinutes as 1440 per day (1440 for one day, 2880 for two), or EndDateTime at midnight UTC after the last day, e.g. 2026-12-15T00:00:00.000+0000.",
            Mcp.ErrorText(await tenant.CallAsync("update_record", new { Id = twoDays, fields = new { DurationInMinutes = 90 } })));
    }

    [Fact]
    public async Task UpdateEvent_DurationOrActivityDateTime_EndFollows()
    {
        var tenant = await server.CreateTenantAsync("Activity update");
        string id = (await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = "Call", StartDateTime = "2026-12-02T15:00:00Z", EndDateTime = "2026-12-02T15:30:00Z" } })).Str("Id");

        var longer = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { DurationInMinutes = 75 } });
        Assert.Equal("2026-12-02T15:00:00.000+0000", longer.Str("StartDateTime"));
        Assert.Equal("2026-12-02T16:15:00.000+0000", longer.Str("EndDateTime"));
        Assert.Equal(75, longer.GetProperty("DurationInMinutes").GetInt32());

        var moved = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { ActivityDateTime = "2026-12-03T09:00:00Z", DurationInMinutes = 30 } });
        Assert.Equal("2026-12-03T09:00:00.000+0000", moved.Str("StartDateTime"));
        Assert.Equal("2026-12-03T09:30:00.000+0000", moved.Str("EndDateTime"));
        Assert.Equal("2026-12-03", moved.Str("ActivityDate"));

        // A new day keeps the time of day and the length; so does a new ActivityDateTime.
        var nextDay = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { ActivityDate = "2026-12-04" } });
        Assert.Equal("2026-12-04T09:00:00.000+0000", nextDay.Str("StartDateTime"));
        Assert.Equal("2026-12-04T09:30:00.000+0000", nextDay.Str("EndDateTime"));
        Assert.Equal(30, nextDay.GetProperty("DurationInMinutes").GetInt32());
        var later = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { ActivityDateTime = "2026-12-04T11:00:00Z" } });
        Assert.Equal("2026-12-04T11:30:00.000+0000", later.Str("EndDateTime"));
        Assert.Equal(30, later.GetProperty("DurationInMinutes").GetInt32());

        // A new StartDateTime keeps EndDateTime, as the StartDateTime/EndDateTime pair always has.
        var earlier = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { StartDateTime = "2026-12-04T10:30:00Z" } });
        Assert.Equal("2026-12-04T11:30:00.000+0000", earlier.Str("EndDateTime"));
        Assert.Equal(60, earlier.GetProperty("DurationInMinutes").GetInt32());
        Assert.Equal("2026-12-04T10:30:00.000+0000", earlier.Str("ActivityDateTime"));
    }

    public static TheoryData<string, string> EventConflicts => new()
    {
        { """{"Subject":"X","StartDateTime":"2026-12-02T15:00:00Z","EndDateTime":"2026-12-02T14:00:00Z"}""",
            "INVALID_FIELD_VALUE: Event.EndDateTime (2026-12-02T14:00:00.000+0000) is before StartDateTime (2026-12-02T15:00:00.000+0000). Send an end at or after the start, e.g. 2026-12-02T16:00:00.000+0000." },
        { """{"Subject":"X","ActivityDateTime":"2026-12-02T15:00:00Z","DurationInMinutes":-30}""",
            "INVALID_FIELD_VALUE: Event.DurationInMinutes cannot be negative; -30 was sent. Send the length in minutes, e.g. 60." },
        { """{"Subject":"X","StartDateTime":"2026-12-02T15:00:00Z","EndDateTime":"2026-12-02T16:00:00Z","DurationInMinutes":90}""",
            "INVALID_FIELD_VALUE: Event.DurationInMinutes (90) does not match StartDateTime (2026-12-02T15:00:00.000+0000) to EndDateTime (2026-12-02T16:00:00.000+0000), which is 60 minutes. Send DurationInMinutes or EndDateTime, not both, or values that agree." },
        { """{"Subject":"X","StartDateTime":"2026-12-02T15:00:00Z","ActivityDateTime":"2026-12-02T16:00:00Z","DurationInMinutes":60}""",
            "INVALID_FIELD_VALUE: Event.ActivityDateTime (2026-12-02T16:00:00.000+0000) and StartDateTime (2026-12-02T15:00:00.000+0000) are two names for the event's start and must agree. Send only one of them." },
        { """{"Subject":"X","ActivityDateTime":"2026-12-02T15:00:00Z","ActivityDate":"2026-12-03","DurationInMinutes":60}""",
            "INVALID_FIELD_VALUE: Event.ActivityDate (2026-12-03) is not the date of the start (2026-12-02T15:00:00.000+0000). Send only one of them, or a date that matches." },
        { """{"Subject":"X","DurationInMinutes":60}""",
            "REQUIRED_FIELD_MISSING: Event.ActivityDateTime (or StartDateTime) is required. Send when the event starts, e.g. 2026-12-31T15:00:00Z, with DurationInMinutes (e.g. 60) or EndDateTime; for an all-day event send ActivityDate and IsAllDayEvent: true." },
        { """{"Subject":"X","ActivityDateTime":"2026-12-02T15:00:00Z"}""",
            "REQUIRED_FIELD_MISSING: Event.DurationInMinutes (or EndDateTime) is required. Send how long the event lasts, e.g. DurationInMinutes: 60, or EndDateTime, e.g. 2026-12-02T16:00:00.000+0000." },
        { """{"Subject":"X","ActivityDate":"2026-12-02","DurationInMinutes":60}""",
            "REQUIRED_FIELD_MISSING: Event.ActivityDateTime is required: ActivityDate alone (2026-12-02) sets the day of an all-day event only. Send ActivityDateTime (or StartDateTime), e.g. 2026-12-02T15:00:00Z, or IsAllDayEvent: true." },
        { """{"Subject":"X","ActivityDateTime":"9999-12-31T00:00:00Z","DurationInMinutes":99999999}""",
            "INVALID_FIELD_VALUE: Event.DurationInMinutes (99999999) ends the event after the year 9999. Send a shorter duration, e.g. 60." },
    };

    [Theory, MemberData(nameof(EventConflicts))]
    public async Task CreateEvent_ConflictingTimes_ActionableErrorAndNothingWritten(string fieldsJson, string expected)
    {
        var tenant = await server.CreateTenantAsync("Activity conflicts");
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(fieldsJson)!;

        Assert.Equal(expected, Mcp.ErrorText(await tenant.CallAsync("create_record", new Dictionary<string, object?> { ["object"] = "Event", ["fields"] = fields })));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Event" })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task UpdateEvent_ConflictingTimes_ActionableErrorAndEventUnchanged()
    {
        var tenant = await server.CreateTenantAsync("Activity update conflicts");
        string id = (await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = "Call", ActivityDateTime = "2026-12-02T15:00:00Z", DurationInMinutes = 60 } })).Str("Id");
        var before = await tenant.CallOkAsync("get_record", new { Id = id });

        foreach (var (fields, expected) in new (object, string)[]
                 {
                     (new { EndDateTime = "2026-12-02T14:00:00Z" }, "INVALID_FIELD_VALUE: Event.EndDateTime (2026-12-02T14:00:00.000+0000) is before StartDateTime (2026-12-02T15:00:00.000+0000). Send an end at or after the start, e.g. 2026-12-02T16:00:00.000+0000."),
                     (new { DurationInMinutes = -1 }, "INVALID_FIELD_VALUE: Event.DurationInMinutes cannot be negative; -1 was sent. Send the length in minutes, e.g. 60."),
                     (new { EndDateTime = "2026-12-02T17:00:00Z", DurationInMinutes = 60 }, "INVALID_FIELD_VALUE: Event.DurationInMinutes (60) does not match StartDateTime (2026-12-02T15:00:00.000+0000) to EndDateTime (2026-12-02T17:00:00.000+0000), which is 120 minutes. Send DurationInMinutes or EndDateTime, not both, or values that agree."),
                     (new { DurationInMinutes = (int?)null }, "REQUIRED_FIELD_MISSING: Event.DurationInMinutes cannot be emptied: an event always has a start, an end and a duration. Send a value, or leave DurationInMinutes out."),
                 })
        {
            Assert.Equal(expected, Mcp.ErrorText(await tenant.CallAsync("update_record", new { Id = id, fields })));
            Assert.True(JsonElement.DeepEquals(before, await tenant.CallOkAsync("get_record", new { Id = id })), $"the event changed after {JsonSerializer.Serialize(fields)}");
        }
    }

    [Fact]
    public async Task CreateTask_AccountIdDerivedFromWhatIdOrWhoId()
    {
        var tenant = await server.CreateTenantAsync("Activity task account");
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        string globex = (await tenant.CallOkAsync("create_account", new { Name = "Globex" })).Str("Id");
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Acme renewal", StageName = "Prospecting", CloseDate = "2030-01-31", AccountId = acme })).Str("Id");
        string orphanDeal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Loose deal", StageName = "Prospecting", CloseDate = "2030-01-31" })).Str("Id");
        string ada = (await tenant.CallOkAsync("create_contact", new { LastName = "Lovelace", AccountId = globex })).Str("Id");
        string loner = (await tenant.CallOkAsync("create_contact", new { LastName = "Loner" })).Str("Id");
        string lead = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Ng", Company = "Initech" } })).Str("Id");

        async Task<string?> AccountOf(object fields)
        {
            var task = await tenant.CallOkAsync("create_task", fields);
            var read = await tenant.CallOkAsync("get_record", new { Id = task.Str("Id") });
            return read.TryGetProperty("AccountId", out var value) ? value.GetString() : null;
        }

        Assert.Equal(acme, await AccountOf(new { Subject = "Account", WhatId = acme, WhoId = ada }));
        Assert.Equal(acme, await AccountOf(new { Subject = "Deal", WhatId = deal, WhoId = ada }));
        Assert.Null(await AccountOf(new { Subject = "Deal without account", WhatId = orphanDeal, WhoId = ada }));
        Assert.Equal(globex, await AccountOf(new { Subject = "Contact", WhoId = ada }));
        Assert.Null(await AccountOf(new { Subject = "Contact without account", WhoId = loner }));
        Assert.Null(await AccountOf(new { Subject = "Lead", WhoId = lead }));
        Assert.Null(await AccountOf(new { Subject = "Nothing" }));

        // An update of WhatId or WhoId derives it again; SOQL and find_records filter on it.
        string id = (await tenant.CallOkAsync("create_task", new { Subject = "Moves", WhoId = ada })).Str("Id");
        Assert.Equal(acme, (await tenant.CallOkAsync("update_record", new { Id = id, fields = new { WhatId = deal } })).Str("AccountId"));
        Assert.Equal(globex, (await tenant.CallOkAsync("update_record", new { Id = id, fields = new { WhatId = (string?)null } })).Str("AccountId"));
        var soql = await tenant.CallOkAsync("soql_query", new { query = $"SELECT Id, AccountId FROM Task WHERE AccountId = '{globex}' AND Subject = 'Moves'" });
        Assert.Equal(id, Assert.Single(soql.GetProperty("records").EnumerateArray()).Str("Id"));
        Assert.Equal(2, (await tenant.CallOkAsync("find_records", new { @object = "Task", where = new { AccountId = acme } })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Task_IsClosedFollowsStatus_DerivedFieldsRefusedSubtypeDefaults()
    {
        var tenant = await server.CreateTenantAsync("Activity task closed");
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        var created = await tenant.CallOkAsync("create_task", new { Subject = "Call Acme", WhatId = acme });
        string id = created.Str("Id");
        Assert.False(created.GetProperty("IsClosed").GetBoolean());
        Assert.Equal("Task", created.Str("TaskSubtype"));

        Assert.True((await tenant.CallOkAsync("update_record", new { Id = id, fields = new { Status = "Completed" } })).GetProperty("IsClosed").GetBoolean());
        Assert.False((await tenant.CallOkAsync("update_record", new { Id = id, fields = new { Status = "Deferred" } })).GetProperty("IsClosed").GetBoolean());
        var call = await tenant.CallOkAsync("create_task", new { Subject = "Logged call", Status = "Completed", TaskSubtype = "Call" });
        Assert.True(call.GetProperty("IsClosed").GetBoolean());
        Assert.Equal("Call", call.Str("TaskSubtype"));

        var before = await tenant.CallOkAsync("get_record", new { Id = id });
        foreach (var (fields, expected) in new (object, string)[]
                 {
                     (new { AccountId = acme }, $"INVALID_FIELD_FOR_INSERT_UPDATE: Task.AccountId is set by the system and cannot be written; \"{acme}\" was sent. Leave it out."),
                     (new { IsClosed = true }, "INVALID_FIELD_FOR_INSERT_UPDATE: Task.IsClosed is set by the system and cannot be written; true was sent. Leave it out."),
                     (new { TaskSubtype = "Email" }, "INVALID_FIELD_FOR_INSERT_UPDATE: Task.TaskSubtype is set when the record is created and cannot change; \"Email\" was sent. Leave it out."),
                 })
        {
            Assert.Equal(expected, Mcp.ErrorText(await tenant.CallAsync("update_record", new { Id = id, fields })));
            Assert.True(JsonElement.DeepEquals(before, await tenant.CallOkAsync("get_record", new { Id = id })), $"the task changed after {JsonSerializer.Serialize(fields)}");
        }
        Assert.Equal($"INVALID_FIELD_FOR_INSERT_UPDATE: Task.AccountId is set by the system and cannot be written; \"{acme}\" was sent. Leave it out.",
            Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Task", fields = new { Subject = "X", AccountId = acme } })));
        Assert.Equal("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Task.TaskSubtype: 'Fax' is not an allowed value. Send one of: Task, Email, ListEmail, Cadence, Call, LinkedIn.",
            Mcp.ErrorText(await tenant.CallAsync("create_task", new { Subject = "X", TaskSubtype = "Fax" })));
        Assert.Equal(2, (await tenant.CallOkAsync("get_tasks", new { })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Rest_EventClassicFieldsAndTaskAccount_DescribedAndReadable()
    {
        var tenant = await server.CreateTenantAsync("Activity REST");
        var created = await SendAsync(tenant, HttpMethod.Post, $"{V}/sobjects/Event", """{"Subject":"Demo","ActivityDateTime":"2026-12-02T15:00:00.000+0000","DurationInMinutes":30}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        string id = created.Json.GetProperty("id").GetString()!;
        var read = (await SendAsync(tenant, HttpMethod.Get, $"{V}/sobjects/Event/{id}")).Json;
        Assert.Equal("2026-12-02T15:00:00.000+0000", read.Str("StartDateTime"));
        Assert.Equal("2026-12-02T15:30:00.000+0000", read.Str("EndDateTime"));

        var patched = await SendAsync(tenant, HttpMethod.Patch, $"{V}/sobjects/Event/{id}", """{"DurationInMinutes":-5}""");
        Assert.Equal(HttpStatusCode.BadRequest, patched.Status);
        Assert.Equal("""[{"message":"Event.DurationInMinutes cannot be negative; -5 was sent. Send the length in minutes, e.g. 60.","errorCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION","fields":["DurationInMinutes"]}]""", patched.Text);

        var describe = (await SendAsync(tenant, HttpMethod.Get, $"{V}/sobjects/Task/describe")).Json;
        var fields = describe.GetProperty("fields").EnumerateArray().ToDictionary(f => f.Str("name"));
        Assert.False(fields["AccountId"].GetProperty("createable").GetBoolean());
        Assert.False(fields["AccountId"].GetProperty("updateable").GetBoolean());
        Assert.Equal("Account", Assert.Single(fields["AccountId"].GetProperty("referenceTo").EnumerateArray()).GetString());
        Assert.False(fields["IsClosed"].GetProperty("createable").GetBoolean());
        Assert.True(fields["TaskSubtype"].GetProperty("createable").GetBoolean());
        Assert.False(fields["TaskSubtype"].GetProperty("updateable").GetBoolean());
        var eventFields = (await SendAsync(tenant, HttpMethod.Get, $"{V}/sobjects/Event/describe")).Json.GetProperty("fields").EnumerateArray().ToDictionary(f => f.Str("name"));
        foreach (var name in new[] { "ActivityDateTime", "DurationInMinutes", "ActivityDate", "StartDateTime", "EndDateTime" })
            Assert.True(eventFields[name].GetProperty("createable").GetBoolean() && eventFields[name].GetProperty("updateable").GetBoolean(), name);

        var query = (await SendAsync(tenant, HttpMethod.Get, $"{V}/query?q={Uri.EscapeDataString("SELECT ActivityDateTime, DurationInMinutes, EndDateTime FROM Event")}")).Json;
        var row = Assert.Single(query.GetProperty("records").EnumerateArray());
        Assert.Equal("2026-12-02T15:00:00.000+0000", row.Str("ActivityDateTime"));
        Assert.Equal(30, row.GetProperty("DurationInMinutes").GetInt32());
    }

    [Fact]
    public async Task Migrations0009And0010_ExistingActivities_DerivedValuesBackfilled()
    {
        var tenant = await server.CreateTenantAsync("Activity backfill");
        string acme = (await tenant.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        string deal = (await tenant.CallOkAsync("create_opportunity", new { Name = "Acme renewal", StageName = "Prospecting", CloseDate = "2030-01-31", AccountId = acme })).Str("Id");
        string ada = (await tenant.CallOkAsync("create_contact", new { LastName = "Lovelace", AccountId = acme })).Str("Id");
        string onDeal = (await tenant.CallOkAsync("create_task", new { Subject = "Deal", WhatId = deal, Status = "Completed" })).Str("Id");
        string onContact = (await tenant.CallOkAsync("create_task", new { Subject = "Contact", WhoId = ada })).Str("Id");
        string alone = (await tenant.CallOkAsync("create_task", new { Subject = "Alone" })).Str("Id");
        string meeting = (await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = "QBR", StartDateTime = "2026-12-02T15:00:00Z", EndDateTime = "2026-12-02T16:45:00Z" } })).Str("Id");

        // Back to schema version 8, as a database from before these migrations (0009 per engine, 0010 shared), with the derived values lost.
        string[] rewind =
        [
            "DROP INDEX ix_task_account", "ALTER TABLE task DROP COLUMN AccountId", "ALTER TABLE task DROP COLUMN TaskSubtype",
            "ALTER TABLE event DROP COLUMN ActivityDateTime", "UPDATE task SET IsClosed = NOT IsClosed", "UPDATE event SET DurationInMinutes = NULL, ActivityDate = NULL",
            "DELETE FROM schema_migrations WHERE version IN (9, 10)",
        ];
        if (server.Database is { } database)
        {
            await using var pg = new Npgsql.NpgsqlConnection(database);
            await pg.OpenAsync(Ct);
            foreach (var statement in rewind)
            {
                await using var command = new Npgsql.NpgsqlCommand(statement, pg);
                await command.ExecuteNonQueryAsync(Ct);
            }
        }
        else
        {
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "revops.db")};Pooling=False");
            connection.Open();
            foreach (var statement in rewind.Prepend("PRAGMA busy_timeout = 10000"))
            {
                using var command = connection.CreateCommand();
                command.CommandText = statement.Replace("NOT IsClosed", "1 - IsClosed");
                command.ExecuteNonQuery();
            }
        }

        await server.RestartAsync();

        var deals = await tenant.CallOkAsync("get_record", new { Id = onDeal });
        Assert.Equal((acme, true, "Task"), (deals.Str("AccountId"), deals.GetProperty("IsClosed").GetBoolean(), deals.Str("TaskSubtype")));
        var contacts = await tenant.CallOkAsync("get_record", new { Id = onContact });
        Assert.Equal((acme, false, "Task"), (contacts.Str("AccountId"), contacts.GetProperty("IsClosed").GetBoolean(), contacts.Str("TaskSubtype")));
        var lone = await tenant.CallOkAsync("get_record", new { Id = alone });
        Assert.False(lone.TryGetProperty("AccountId", out _));
        Assert.False(lone.GetProperty("IsClosed").GetBoolean());
        var qbr = await tenant.CallOkAsync("get_record", new { Id = meeting });
        Assert.Equal("2026-12-02T15:00:00.000+0000", qbr.Str("ActivityDateTime"));
        Assert.Equal(105, qbr.GetProperty("DurationInMinutes").GetInt32());
        Assert.Equal("2026-12-02", qbr.Str("ActivityDate"));
        Assert.Equal(2, (await tenant.CallOkAsync("find_records", new { @object = "Task", where = new { AccountId = acme } })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Composite_TasksCreatedWithTheirDealAndContact_DeriveAccountIdFromTheRequestsRecords()
    {
        var tenant = await server.CreateTenantAsync("Activity composite");
        var reply = await SendAsync(tenant, HttpMethod.Post, $"{V}/composite", $$$"""
            {"allOrNone":true,"compositeRequest":[
              {"method":"POST","url":"{{{V}}}/sobjects/Account","referenceId":"acct","body":{"Name":"Chain Co"}},
              {"method":"POST","url":"{{{V}}}/sobjects/Opportunity","referenceId":"deal","body":{"Name":"Chain deal","StageName":"Prospecting","CloseDate":"2027-01-31","AccountId":"@{acct.id}"}},
              {"method":"POST","url":"{{{V}}}/sobjects/Contact","referenceId":"who","body":{"LastName":"Chain","AccountId":"@{acct.id}"}},
              {"method":"POST","url":"{{{V}}}/sobjects/Task","referenceId":"onDeal","body":{"Subject":"Send quote","WhatId":"@{deal.id}"}},
              {"method":"POST","url":"{{{V}}}/sobjects/Task","referenceId":"onContact","body":{"Subject":"Call","WhoId":"@{who.id}"}}
            ]}
            """);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var responses = reply.Json.GetProperty("compositeResponse").EnumerateArray().Select(r => r.GetProperty("body").Str("id")).ToArray();
        string account = responses[0];

        foreach (var task in responses[3..])
        {
            var read = await tenant.CallOkAsync("get_record", new { Id = task });
            Assert.Equal(account, read.Str("AccountId"));
            var created = (await tenant.CallOkAsync("get_record_history", new { Id = task })).GetProperty("versions")[0];
            Assert.Equal(account, created.GetProperty("changes").GetProperty("AccountId").Str("after"));
        }
        Assert.Equal(2, (await tenant.CallOkAsync("find_records", new { @object = "Task", where = new { AccountId = account } })).GetProperty("totalSize").GetInt32());
    }

    sealed record Reply(HttpStatusCode Status, string Text)
    {
        public JsonElement Json => JsonDocument.Parse(Text).RootElement.Clone();
    }

    async Task<Reply> SendAsync(TestTenant tenant, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.BaseUri, path.TrimStart('/')));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await server.Http.SendAsync(request, Ct);
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}
