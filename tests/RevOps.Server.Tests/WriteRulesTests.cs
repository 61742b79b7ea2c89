using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>
/// The write rules every channel meets, through create_record and update_record: each refusal names the field,
/// the value that arrived and what to send instead, and writes nothing; derived values follow their inputs.
/// </summary>
public sealed class WriteRulesTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    const string MissingAccount = "001000000000001AAA", ContactIdShape = "003000000000001AAA";
    const string Stages = "Prospecting, Qualification, Needs Analysis, Value Proposition, Id. Decision Makers, Perception Analysis, Proposal/Price Quote, Negotiation/Review, Closed Won, Closed Lost";
    const string LeadSources = "Web, Phone Inquiry, Partner Referral, Purchased List, Referral, Partner, Advertisement, Employee Referral, External Referral, Trade Show, Word of mouth, Other";
    const string Industries = "Agriculture, Apparel, Banking, Biotechnology, Chemicals, Communications, Construction, Consulting, Education, Electronics, Energy, Engineering, Entertainment, " +
        "Environmental, Finance, Food & Beverage, Government, Healthcare, Hospitality, Insurance, Machinery, Manufacturing, Media, Not For Profit, Other, Recreation, Retail, Shipping, " +
        "Technology, Telecommunications, Transportation, Utilities";
    const string PhoneHelp = "Send digits with optional +, spaces, dashes, dots, parentheses or an extension, e.g. +1 415-555-0100 x12.";

    static readonly string LongName = new('A', 256);

    /// <summary>object, fields (JSON), the full error text.</summary>
    public static TheoryData<string, string, string> Refusals => new()
    {
        { "Lead", """{"LastName":"Ng"}""", "REQUIRED_FIELD_MISSING: Lead.Company is required. Send a value for 'Company'." },
        { "Opportunity", """{"Name":"Deal","StageName":"Prospecting"}""", "REQUIRED_FIELD_MISSING: Opportunity.CloseDate is required. Send a value for 'CloseDate'." },
        { "Opportunity", """{"Name":"Deal","StageName":"Won","CloseDate":"2026-12-31"}""",
            $"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Opportunity.StageName: 'Won' is not an allowed value. Send one of: {Stages}." },
        { "Lead", """{"LastName":"Ng","Company":"Acme","LeadSource":"Billboard"}""",
            $"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Lead.LeadSource: 'Billboard' is not an allowed value. Send one of: {LeadSources}." },
        { "Lead", """{"LastName":"Ng","Company":"Acme","Industry":"Software"}""",
            $"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Lead.Industry: 'Software' is not an allowed value. Send one of: {Industries}." },
        { "Account", """{"Name":"Acme","Industry":"Software"}""",
            $"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Account.Industry: 'Software' is not an allowed value. Send one of: {Industries}." },
        { "Lead", """{"LastName":"Ng","Company":"Acme","Status":"Qualified"}""",
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Lead.Status: 'Qualified' is not an allowed value. Send one of: Open - Not Contacted, Working - Contacted, Closed - Converted, Closed - Not Converted." },
        { "Task", """{"Subject":"Call","Status":"Done"}""",
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Task.Status: 'Done' is not an allowed value. Send one of: Not Started, In Progress, Completed, Waiting on someone else, Deferred." },
        { "Task", """{"Subject":"Call","Priority":"Urgent"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Task.Priority: 'Urgent' is not an allowed value. Send one of: High, Normal, Low." },
        { "Account", """{"Name":"Acme","Rating":"Lukewarm"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Account.Rating: 'Lukewarm' is not an allowed value. Send one of: Hot, Warm, Cold." },
        { "Lead", """{"LastName":"Ng","Company":"Acme","Rating":"Lukewarm"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Lead.Rating: 'Lukewarm' is not an allowed value. Send one of: Hot, Warm, Cold." },
        { "Account", """{"Name":"Acme","Type":"Partner"}""",
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Account.Type: 'Partner' is not an allowed value. Send one of: Prospect, Customer - Direct, Customer - Channel, Channel Partner / Reseller, Installation Partner, Technology Partner, Other." },
        { "Opportunity", """{"Name":"Deal","StageName":"Prospecting","CloseDate":"2026-12-31","Type":"Renewal"}""",
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Opportunity.Type: 'Renewal' is not an allowed value. Send one of: Existing Customer - Upgrade, Existing Customer - Replacement, Existing Customer - Downgrade, New Customer." },
        { "Task", """{"Subject":"Call","Type":"Lunch"}""", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Task.Type: 'Lunch' is not an allowed value. Send one of: Call, Email, Meeting, Other." },
        { "Contact", """{"LastName":"Ng","Email":"ng-at-acme.test"}""", "INVALID_FIELD_VALUE: Contact.Email: 'ng-at-acme.test' is not a valid email address. Send it as name@example.com." },
        { "Lead", """{"LastName":"Ng","Company":"Acme","Email":"ng@acme"}""", "INVALID_FIELD_VALUE: Lead.Email: 'ng@acme' is not a valid email address. Send it as name@example.com." },
        { "Contact", """{"LastName":"Ng","Phone":"call me maybe"}""", $"INVALID_FIELD_VALUE: Contact.Phone: 'call me maybe' is not a phone number. {PhoneHelp}" },
        { "Lead", """{"LastName":"Ng","Company":"Acme","MobilePhone":"unknown"}""", $"INVALID_FIELD_VALUE: Lead.MobilePhone: 'unknown' is not a phone number. {PhoneHelp}" },
        { "Account", """{"Name":"Acme","Website":"www.acme .test"}""",
            "INVALID_FIELD_VALUE: Account.Website: 'www.acme .test' is not a web address. Send e.g. https://www.example.com or www.example.com." },
        { "Lead", """{"LastName":"Ng","Company":"Acme","Website":"acme corp"}""",
            "INVALID_FIELD_VALUE: Lead.Website: 'acme corp' is not a web address. Send e.g. https://www.example.com or www.example.com." },
        { "Opportunity", """{"Name":"Deal","StageName":"Prospecting","CloseDate":"31/12/2026"}""",
            "INVALID_TYPE: Opportunity.CloseDate must be a date as YYYY-MM-DD; got the string \"31/12/2026\". Send e.g. \"2026-12-31\"." },
        { "Contact", """{"LastName":"Ng","Birthdate":"12/31/1990"}""",
            "INVALID_TYPE: Contact.Birthdate must be a date as YYYY-MM-DD; got the string \"12/31/1990\". Send e.g. \"2026-12-31\"." },
        { "Task", """{"Subject":"Call","ActivityDate":20261231}""", "INVALID_TYPE: Task.ActivityDate must be a date as YYYY-MM-DD; got the number 20261231. Send e.g. \"2026-12-31\"." },
        { "Event", """{"Subject":"Demo","StartDateTime":"31/12/2026 15:00","EndDateTime":"2026-12-31T16:00:00Z"}""",
            "INVALID_TYPE: Event.StartDateTime must be an ISO 8601 date and time; got the string \"31/12/2026 15:00\". Send e.g. \"2026-12-31T15:00:00Z\"." },
        { "Event", """{"Subject":"Demo","StartDateTime":"2026-12-31T15:00:00Z","EndDateTime":"tomorrow"}""",
            "INVALID_TYPE: Event.EndDateTime must be an ISO 8601 date and time; got the string \"tomorrow\". Send e.g. \"2026-12-31T15:00:00Z\"." },
        { "Contact", $$"""{"LastName":"Ng","AccountId":"{{MissingAccount}}"}""",
            $"INVALID_CROSS_REFERENCE_KEY: Contact.AccountId: no Account '{MissingAccount}' in this org. Send the Id of an existing Account (search for it first), or leave AccountId out." },
        { "Opportunity", $$"""{"Name":"Deal","StageName":"Prospecting","CloseDate":"2026-12-31","AccountId":"{{ContactIdShape}}"}""",
            $"INVALID_CROSS_REFERENCE_KEY: Opportunity.AccountId must point to Account; '{ContactIdShape}' is the Id of a Contact. Send the Id of an Account (001…)." },
        { "Contact", """{"LastName":"Ng","AccountId":"001-not-an-id"}""",
            "MALFORMED_ID: Contact.AccountId: '001-not-an-id' is not a valid record Id. Send the 15- or 18-character Id of the Account." },
        { "Event", """{"Subject":"Demo","StartDateTime":"2026-12-31T15:00:00Z","EndDateTime":"2026-12-31T14:00:00Z"}""",
            "INVALID_FIELD_VALUE: Event.EndDateTime (2026-12-31T14:00:00.000+0000) is before StartDateTime (2026-12-31T15:00:00.000+0000). Send an end at or after the start, e.g. 2026-12-31T16:00:00.000+0000." },
        { "Opportunity", """{"Name":"Deal","StageName":"Prospecting","CloseDate":"2026-12-31","Probability":120}""",
            "INVALID_FIELD_VALUE: Opportunity.Probability is a percentage from 0 to 100; 120 was sent. Send e.g. 40." },
        { "Opportunity", """{"Name":"Deal","StageName":"Prospecting","CloseDate":"2026-12-31","Probability":-5}""",
            "INVALID_FIELD_VALUE: Opportunity.Probability is a percentage from 0 to 100; -5 was sent. Send e.g. 40." },
        { "Opportunity", """{"Name":"Deal","StageName":"Prospecting","CloseDate":"2026-12-31","Amount":-100}""",
            "INVALID_FIELD_VALUE: Opportunity.Amount cannot be negative; -100 was sent. Send 0 or more, e.g. 25000." },
        { "Account", $$"""{"Name":"{{LongName}}"}""",
            $"INVALID_FIELD_VALUE: Account.Name holds at most 255 characters; 256 were sent ('{new string('A', 57)}...'). Shorten the value." },
        { "Account", """{"Name":"Acme","NumberOfEmployees":123456789}""",
            "INVALID_FIELD_VALUE: Account.NumberOfEmployees holds at most 8 digits; 123456789 was sent. Send e.g. 99999999." },
        { "Opportunity", """{"Name":"Deal","StageName":"Prospecting","CloseDate":"2026-12-31","Amount":12345678901234567}""",
            "INVALID_FIELD_VALUE: Opportunity.Amount holds at most 16 digits before the decimal point (18 in all, 2 after it); 12345678901234567 was sent. Send e.g. 9999999999999999." },
        { "Opportunity", """{"Name":"Deal","StageName":"Prospecting","CloseDate":"2026-12-31","IsWon":true}""",
            "INVALID_FIELD_FOR_INSERT_UPDATE: Opportunity.IsWon is set by the system and cannot be written; true was sent. Leave it out." },
        { "Contact", """{"LastName":"Ng","Name":"Ada Ng"}""",
            "INVALID_FIELD_FOR_INSERT_UPDATE: Contact.Name is set by the system and cannot be written; \"Ada Ng\" was sent. Leave it out." },
        { "Contact", """{"LastName":"Ng","Emial":"ng@acme.test"}""", "INVALID_FIELD: 'Emial' is not a field on Contact. Did you mean 'Email'?" },
        { "Lead", """{"LastName":"Ng","Compnay":"Acme"}""", "INVALID_FIELD: 'Compnay' is not a field on Lead. Did you mean 'Company'?" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task CreateRecord_BreaksARule_ActionableErrorAndNothingWritten(string obj, string fieldsJson, string expected)
    {
        var tenant = await server.CreateTenantAsync($"Rules {obj}");
        var fields = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(fieldsJson)!;

        var result = await tenant.CallAsync("create_record", new Dictionary<string, object?> { ["object"] = obj, ["fields"] = fields });

        Assert.Equal(expected, Mcp.ErrorText(result));
        var dryRun = await tenant.CallAsync("create_record", new Dictionary<string, object?> { ["object"] = obj, ["fields"] = fields, ["dry_run"] = true });
        Assert.Equal(expected, Mcp.ErrorText(dryRun));
        foreach (var o in new[] { "Account", "Contact", "Lead", "Opportunity", "Task", "Event" })
            Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = o })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task UpdateRecord_BreaksARule_ActionableErrorAndRecordUnchanged()
    {
        var tenant = await server.CreateTenantAsync("Rules update");
        string accountId = (await tenant.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        string id = (await tenant.CallOkAsync("create_record", new { @object = "Opportunity", fields = new { Name = "Deal", StageName = "Qualification", CloseDate = "2026-12-31", Amount = 1000, AccountId = accountId } })).Str("Id");
        var before = await tenant.CallOkAsync("get_record", new { Id = id });

        foreach (var (fields, expected) in new (object, string)[]
                 {
                     (new { StageName = "Won" }, $"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Opportunity.StageName: 'Won' is not an allowed value. Send one of: {Stages}."),
                     (new { StageName = (string?)null }, "REQUIRED_FIELD_MISSING: Opportunity.StageName is required. Send a value for 'StageName'."),
                     (new { CloseDate = (string?)null }, "REQUIRED_FIELD_MISSING: Opportunity.CloseDate is required. Send a value for 'CloseDate'."),
                     (new { CloseDate = "next Friday" }, "INVALID_TYPE: Opportunity.CloseDate must be a date as YYYY-MM-DD; got the string \"next Friday\". Send e.g. \"2026-12-31\"."),
                     (new { Probability = 101 }, "INVALID_FIELD_VALUE: Opportunity.Probability is a percentage from 0 to 100; 101 was sent. Send e.g. 40."),
                     (new { Amount = -0.01 }, "INVALID_FIELD_VALUE: Opportunity.Amount cannot be negative; -0.01 was sent. Send 0 or more, e.g. 25000."),
                     (new { Name = new string('n', 121) }, $"INVALID_FIELD_VALUE: Opportunity.Name holds at most 120 characters; 121 were sent ('{new string('n', 57)}...'). Shorten the value."),
                     (new { AccountId = MissingAccount }, $"INVALID_CROSS_REFERENCE_KEY: Opportunity.AccountId: no Account '{MissingAccount}' in this org. Send the Id of an existing Account (search for it first), or leave AccountId out."),
                     (new { AccountId = id }, $"INVALID_CROSS_REFERENCE_KEY: Opportunity.AccountId must point to Account; '{id}' is the Id of an Opportunity. Send the Id of an Account (001…)."),
                     (new { IsClosed = true }, "INVALID_FIELD_FOR_INSERT_UPDATE: Opportunity.IsClosed is set by the system and cannot be written; true was sent. Leave it out."),
                     (new { ExpectedRevenue = 5 }, "INVALID_FIELD_FOR_INSERT_UPDATE: Opportunity.ExpectedRevenue is set by the system and cannot be written; 5 was sent. Leave it out."),
                     (new { Ammount = 5 }, "INVALID_FIELD: 'Ammount' is not a field on Opportunity. Did you mean 'Amount'?"),
                 })
        {
            Assert.Equal(expected, Mcp.ErrorText(await tenant.CallAsync("update_record", new { Id = id, fields })));
            Assert.True(JsonElement.DeepEquals(before, await tenant.CallOkAsync("get_record", new { Id = id })), $"the opportunity changed after {JsonSerializer.Serialize(fields)}");
        }
    }

    [Fact]
    public async Task CreateRecord_ReferenceToAnotherTenantsRecord_SameAnswerAsMissingRecord()
    {
        var acme = await server.CreateTenantAsync("Rules Acme");
        var globex = await server.CreateTenantAsync("Rules Globex");
        string account = (await acme.CallOkAsync("create_account", new { Name = "Acme" })).Str("Id");
        string contact = (await acme.CallOkAsync("create_contact", new { LastName = "Acme person", AccountId = account })).Str("Id");
        string lead = (await acme.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Acme lead", Company = "Acme" } })).Str("Id");
        const string noContact = "003000000000001AAA";
        string noLead = RevOps.Domain.Ids.SalesforceId.To18("00Q000000000001");

        foreach (var (obj, field, theirs, never, extra) in new (string, string, string, string, object)[]
                 {
                     ("Contact", "AccountId", account, MissingAccount, new { LastName = "X" }),
                     ("Contact", "ReportsToId", contact, noContact, new { LastName = "X" }),
                     ("Opportunity", "AccountId", account, MissingAccount, new { Name = "X", StageName = "Prospecting", CloseDate = "2026-12-31" }),
                     ("Task", "WhoId", contact, noContact, new { Subject = "X" }),
                     ("Task", "WhoId", lead, noLead, new { Subject = "X" }),
                     ("Event", "WhatId", account, MissingAccount, new { Subject = "X", StartDateTime = "2026-12-31T15:00:00Z", EndDateTime = "2026-12-31T16:00:00Z" }),
                 })
        {
            var fields = JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(extra))!;
            fields[field] = theirs;
            string refused = Mcp.ErrorText(await globex.CallAsync("create_record", new { @object = obj, fields }));
            fields[field] = never;
            Assert.Equal(Mcp.ErrorText(await globex.CallAsync("create_record", new { @object = obj, fields })).Replace(never, theirs), refused);
            Assert.StartsWith($"INVALID_CROSS_REFERENCE_KEY: {obj}.{field}: no ", refused);
            Assert.Contains(theirs, refused);
        }
        string own = (await globex.CallOkAsync("create_contact", new { LastName = "Globex person" })).Str("Id");
        Assert.StartsWith("INVALID_CROSS_REFERENCE_KEY: Contact.AccountId: no Account ", Mcp.ErrorText(await globex.CallAsync("update_record", new { Id = own, fields = new { AccountId = account } })));
        Assert.False((await globex.CallOkAsync("get_record", new { Id = own })).TryGetProperty("AccountId", out _));
        foreach (var o in new[] { "Account", "Opportunity", "Task", "Event" })
            Assert.Equal(0, (await globex.CallOkAsync("find_records", new { @object = o })).GetProperty("totalSize").GetInt32());
        Assert.Equal(1, (await globex.CallOkAsync("find_records", new { @object = "Contact" })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Event_ValidTimes_DurationAndActivityDateDerivedInUtc()
    {
        var tenant = await server.CreateTenantAsync("Rules events");
        var created = await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = "Year-end call", StartDateTime = "2027-01-01T00:30:00+02:00", EndDateTime = "2027-01-01T02:15:00+02:00" } });
        string id = created.Str("Id");
        var read = await tenant.CallOkAsync("get_record", new { Id = id });
        Assert.Equal("2026-12-31T22:30:00.000+0000", read.Str("StartDateTime"));
        Assert.Equal("2027-01-01T00:15:00.000+0000", read.Str("EndDateTime"));
        Assert.Equal(105, read.GetProperty("DurationInMinutes").GetInt32());
        Assert.Equal("2026-12-31", read.Str("ActivityDate"));

        var longer = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { EndDateTime = "2027-01-01T03:00:00Z" } });
        Assert.Equal(270, longer.GetProperty("DurationInMinutes").GetInt32());
        var moved = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { StartDateTime = "2027-01-01T01:00:00Z" } });
        Assert.Equal(120, moved.GetProperty("DurationInMinutes").GetInt32());
        Assert.Equal("2027-01-01", moved.Str("ActivityDate"));
        var instant = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { StartDateTime = "2027-01-01T03:00:00.000+0000" } });
        Assert.Equal(0, instant.GetProperty("DurationInMinutes").GetInt32());

        var before = await tenant.CallOkAsync("get_record", new { Id = id });
        Assert.Equal("INVALID_FIELD_VALUE: Event.EndDateTime (2027-01-01T03:00:00.000+0000) is before StartDateTime (2027-01-01T04:00:00.000+0000). Send an end at or after the start, e.g. 2027-01-01T05:00:00.000+0000.",
            Mcp.ErrorText(await tenant.CallAsync("update_record", new { Id = id, fields = new { StartDateTime = "2027-01-01T04:00:00Z" } })));
        Assert.Equal("INVALID_FIELD_VALUE: Event.DurationInMinutes (30) does not match StartDateTime (2027-01-01T03:00:00.000+0000) to EndDateTime (2027-01-01T04:00:00.000+0000), which is 60 minutes. Send DurationInMinutes or EndDateTime, not both, or values that agree.",
            Mcp.ErrorText(await tenant.CallAsync("update_record", new { Id = id, fields = new { DurationInMinutes = 30, EndDateTime = "2027-01-01T04:00:00Z" } })));
        Assert.True(JsonElement.DeepEquals(before, await tenant.CallOkAsync("get_record", new { Id = id })), "the event changed");
    }

    [Fact]
    public async Task Opportunity_ExpectedRevenueAndForecastCategory_FollowAmountProbabilityAndStage()
    {
        var tenant = await server.CreateTenantAsync("Rules forecast");
        var deal = await tenant.CallOkAsync("create_record", new { @object = "Opportunity", fields = new { Name = "Deal", StageName = "Prospecting", CloseDate = "2026-12-31", Amount = 50000 } });
        string id = deal.Str("Id");
        Assert.Equal(10, deal.GetProperty("Probability").GetDouble());
        Assert.Equal(5000, deal.GetProperty("ExpectedRevenue").GetDouble());

        var probable = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { Probability = 35 } });
        Assert.Equal(17500, probable.GetProperty("ExpectedRevenue").GetDouble());
        var odd = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { Amount = 1234.56, Probability = 33 } });
        Assert.Equal(407.4, odd.GetProperty("ExpectedRevenue").GetDouble());
        Assert.Equal("Prospecting", odd.Str("StageName"));
        var staged = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { StageName = "Negotiation/Review" } });
        Assert.Equal(90, staged.GetProperty("Probability").GetDouble());
        Assert.Equal(1111.1, staged.GetProperty("ExpectedRevenue").GetDouble());
        var stagedWithProbability = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { StageName = "Value Proposition", Probability = 42 } });
        Assert.Equal(42, stagedWithProbability.GetProperty("Probability").GetDouble());
        Assert.Equal(518.52, stagedWithProbability.GetProperty("ExpectedRevenue").GetDouble());
        var noAmount = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { Amount = (double?)null } });
        Assert.False(noAmount.TryGetProperty("ExpectedRevenue", out _));
        Assert.False((await tenant.CallOkAsync("get_record", new { Id = id })).TryGetProperty("ExpectedRevenue", out _));

        foreach (var (stage, probability, forecastName, forecast, closed, won) in new[]
                 {
                     ("Prospecting", 10, "Pipeline", "Pipeline", false, false), ("Qualification", 10, "Pipeline", "Pipeline", false, false),
                     ("Needs Analysis", 20, "Pipeline", "Pipeline", false, false), ("Value Proposition", 50, "Pipeline", "Pipeline", false, false),
                     ("Id. Decision Makers", 60, "Pipeline", "Pipeline", false, false), ("Perception Analysis", 70, "Pipeline", "Pipeline", false, false),
                     ("Proposal/Price Quote", 75, "Pipeline", "Pipeline", false, false), ("Negotiation/Review", 90, "Pipeline", "Pipeline", false, false),
                     ("Closed Won", 100, "Closed", "Closed", true, true), ("Closed Lost", 0, "Omitted", "Omitted", true, false),
                 })
        {
            string created = (await tenant.CallOkAsync("create_record", new { @object = "Opportunity", fields = new { Name = stage, StageName = stage.ToUpperInvariant(), CloseDate = "2027-06-30", Amount = 2000 } })).Str("Id");
            var read = await tenant.CallOkAsync("get_record", new { Id = created });
            Assert.Equal(stage, read.Str("StageName"));
            Assert.Equal(probability, read.GetProperty("Probability").GetDouble());
            Assert.Equal(2000.0 * probability / 100, read.GetProperty("ExpectedRevenue").GetDouble());
            Assert.Equal(forecastName, read.Str("ForecastCategoryName"));
            Assert.Equal(forecast, read.Str("ForecastCategory"));
            Assert.Equal(closed, read.GetProperty("IsClosed").GetBoolean());
            Assert.Equal(won, read.GetProperty("IsWon").GetBoolean());

            var moved = await tenant.CallOkAsync("update_record", new { Id = id, fields = new { StageName = stage, Amount = 3000 } });
            Assert.Equal(forecastName, moved.Str("ForecastCategoryName"));
            Assert.Equal(forecast, moved.Str("ForecastCategory"));
            Assert.Equal(closed, moved.GetProperty("IsClosed").GetBoolean());
            Assert.Equal(won, moved.GetProperty("IsWon").GetBoolean());
        }
        var lost = await tenant.CallOkAsync("get_record", new { Id = id });
        Assert.Equal("Closed Lost", lost.Str("StageName"));
        Assert.Equal(0, lost.GetProperty("Probability").GetDouble());
        Assert.Equal(0, lost.GetProperty("ExpectedRevenue").GetDouble());
        Assert.Equal(["Closed Won"], (await tenant.CallOkAsync("find_records", new { @object = "Opportunity", where = new { IsWon = true } })).GetProperty("records").EnumerateArray().Select(r => r.Str("Name")).ToArray());
    }
}
