using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace RevOps.Server.Tests;

/// <summary>Leads through create_record / get_record, convert_lead into Account, Contact and Opportunity, and the WhoId/WhatId rules of activities.</summary>
public sealed class LeadConversionTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static readonly Dictionary<string, object?> Curie = new()
    {
        ["Salutation"] = "Ms.", ["FirstName"] = "Marie", ["LastName"] = "Curie", ["Company"] = "Radium Institute", ["Title"] = "Director",
        ["Email"] = "marie@radium.test", ["Phone"] = "+33 1 55 42 00 00", ["MobilePhone"] = "+33 6 12 34 56 78", ["Website"] = "www.radium.test",
        ["Status"] = "Working - Contacted", ["Rating"] = "Hot", ["LeadSource"] = "Trade Show", ["Industry"] = "Healthcare", ["AnnualRevenue"] = 2500000,
        ["NumberOfEmployees"] = 140, ["Street"] = "1 Rue Pierre et Marie Curie", ["City"] = "Paris", ["State"] = "Ile-de-France", ["PostalCode"] = "75005",
        ["Country"] = "France", ["HasOptedOutOfEmail"] = true, ["DoNotCall"] = true, ["Description"] = "Two Nobel prizes.",
    };

    [Fact]
    public async Task CreateRecord_Lead_RoundTripsExactlyAndDerivesNameAndDefaultStatus()
    {
        var tenant = await server.CreateTenantAsync("Leads");
        var created = await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = Curie });
        string id = created.Str("Id");
        Assert.StartsWith("00Q", id);
        Assert.Equal(18, id.Length);

        var read = await tenant.CallOkAsync("get_record", new { Id = id });
        var sent = JsonSerializer.SerializeToElement(Curie);
        foreach (var field in sent.EnumerateObject())
            Assert.True(JsonElement.DeepEquals(field.Value, read.GetProperty(field.Name)), $"Lead.{field.Name}: sent {field.Value}, read {read.GetProperty(field.Name)}");
        Assert.Equal("Marie Curie", read.Str("Name"));
        Assert.False(read.GetProperty("IsConverted").GetBoolean());
        Assert.False(read.TryGetProperty("IsDeleted", out _));
        var audit = await tenant.CallOkAsync("get_record", new { Id = id, fields = new[] { "IsDeleted", "CreatedById", "OwnerId" } });
        Assert.Equal((false, tenant.UserId, tenant.UserId), (audit.GetProperty("IsDeleted").GetBoolean(), audit.Str("CreatedById"), audit.Str("OwnerId")));
        foreach (var absent in new[] { "ConvertedDate", "ConvertedAccountId", "ConvertedContactId", "ConvertedOpportunityId" })
            Assert.False(read.TryGetProperty(absent, out _), $"{absent} is set on a new lead");
        Assert.True(JsonElement.DeepEquals(created, read), "create_record's answer differs from get_record's");

        var plain = await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Noether", Company = "Erlangen", Rating = "warm", LeadSource = "web" } });
        var plainRead = await tenant.CallOkAsync("get_record", new { Id = plain.Str("Id"), fields = new[] { "Name", "Status", "Rating", "LeadSource", "IsConverted" } });
        Assert.Equal("Noether", plainRead.Str("Name"));
        Assert.Equal("Open - Not Contacted", plainRead.Str("Status"));
        Assert.Equal("Warm", plainRead.Str("Rating"));
        Assert.Equal("Web", plainRead.Str("LeadSource"));
        Assert.Equal(["Id", "IsConverted", "LeadSource", "Name", "Rating", "Status"], plainRead.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());

        var renamed = await tenant.CallOkAsync("update_record", new { Id = plain.Str("Id"), fields = new { FirstName = "Emmy", Status = "Closed - Not Converted" } });
        Assert.Equal("Emmy Noether", renamed.Str("Name"));
        Assert.Equal("Closed - Not Converted", renamed.Str("Status"));

        var open = await tenant.CallOkAsync("find_records", new { @object = "Lead", where = new { Status = "Working - Contacted" } });
        Assert.Equal(id, Assert.Single(open.GetProperty("records").EnumerateArray()).Str("Id"));
    }

    [Fact]
    public async Task ConvertLead_Defaults_CreatesAccountContactOpportunityAndMarksLeadConverted()
    {
        var tenant = await server.CreateTenantAsync("Convert");
        string leadId = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = Curie })).Str("Id");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var result = await tenant.CallOkAsync("convert_lead", new { LeadId = leadId });
        var todayAfter = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal(leadId, result.Str("leadId"));
        Assert.True(result.GetProperty("accountCreated").GetBoolean());
        Assert.True(result.GetProperty("contactCreated").GetBoolean());
        string accountId = result.Str("accountId"), contactId = result.Str("contactId"), opportunityId = result.Str("opportunityId");
        Assert.StartsWith("001", accountId);
        Assert.StartsWith("003", contactId);
        Assert.StartsWith("006", opportunityId);

        var account = await tenant.CallOkAsync("get_record", new { Id = accountId });
        Assert.Equal("Radium Institute", result.Str("accountName"));
        Assert.Equal("Radium Institute", account.Str("Name"));
        Assert.Equal("Healthcare", account.Str("Industry"));
        Assert.Equal(2500000, account.GetProperty("AnnualRevenue").GetDouble());
        Assert.Equal(140, account.GetProperty("NumberOfEmployees").GetInt32());
        Assert.Equal("www.radium.test", account.Str("Website"));
        Assert.Equal("+33 1 55 42 00 00", account.Str("Phone"));
        Assert.Equal("Hot", account.Str("Rating"));
        Assert.Equal("1 Rue Pierre et Marie Curie", account.Str("BillingStreet"));
        Assert.Equal("Paris", account.Str("BillingCity"));
        Assert.Equal("Ile-de-France", account.Str("BillingState"));
        Assert.Equal("75005", account.Str("BillingPostalCode"));
        Assert.Equal("France", account.Str("BillingCountry"));
        // The new records are the caller's, and owned by the lead's owner (here the same user).
        var accountAudit = await tenant.CallOkAsync("get_record", new { Id = accountId, fields = new[] { "CreatedById", "OwnerId" } });
        Assert.Equal((tenant.UserId, tenant.UserId), (accountAudit.Str("CreatedById"), accountAudit.Str("OwnerId")));

        var contact = await tenant.CallOkAsync("get_record", new { Id = contactId });
        Assert.Equal("Marie Curie", result.Str("contactName"));
        Assert.Equal("Ms.", contact.Str("Salutation"));
        Assert.Equal("Marie", contact.Str("FirstName"));
        Assert.Equal("Curie", contact.Str("LastName"));
        Assert.Equal("Marie Curie", contact.Str("Name"));
        Assert.Equal("Director", contact.Str("Title"));
        Assert.Equal("marie@radium.test", contact.Str("Email"));
        Assert.Equal("+33 1 55 42 00 00", contact.Str("Phone"));
        Assert.Equal("+33 6 12 34 56 78", contact.Str("MobilePhone"));
        Assert.Equal("Trade Show", contact.Str("LeadSource"));
        Assert.True(contact.GetProperty("HasOptedOutOfEmail").GetBoolean());
        Assert.True(contact.GetProperty("DoNotCall").GetBoolean());
        Assert.Equal("1 Rue Pierre et Marie Curie", contact.Str("MailingStreet"));
        Assert.Equal("Paris", contact.Str("MailingCity"));
        Assert.Equal("Ile-de-France", contact.Str("MailingState"));
        Assert.Equal("75005", contact.Str("MailingPostalCode"));
        Assert.Equal("France", contact.Str("MailingCountry"));
        Assert.Equal("Two Nobel prizes.", contact.Str("Description"));
        Assert.Equal(accountId, contact.Str("AccountId"));
        Assert.Equal(tenant.UserId, (await tenant.CallOkAsync("get_record", new { Id = contact.Str("Id"), fields = new[] { "CreatedById" } })).Str("CreatedById"));
        Assert.Equal(tenant.UserId, contact.Str("OwnerId"));

        var opportunity = await tenant.CallOkAsync("get_record", new { Id = opportunityId });
        // The answer is compact: the new opportunity's few values that matter, as get_record has them.
        foreach (var field in new[] { "Name", "StageName", "CloseDate", "OwnerId" })
            Assert.True(JsonElement.DeepEquals(result.GetProperty("opportunity").GetProperty(field), opportunity.GetProperty(field)), field);
        Assert.False(result.GetProperty("opportunity").TryGetProperty("Amount", out _), "an empty Amount is left out");
        Assert.Equal("Radium Institute-", opportunity.Str("Name"));
        Assert.Equal("Prospecting", opportunity.Str("StageName"));
        Assert.Equal(accountId, opportunity.Str("AccountId"));
        Assert.Equal(tenant.UserId, (await tenant.CallOkAsync("get_record", new { Id = opportunityId, fields = new[] { "CreatedById" } })).Str("CreatedById"));
        Assert.Equal(tenant.UserId, opportunity.Str("OwnerId"));
        Assert.Equal("Trade Show", opportunity.Str("LeadSource"));
        Assert.Equal(10, opportunity.GetProperty("Probability").GetDouble());
        Assert.Equal("Pipeline", opportunity.Str("ForecastCategoryName"));
        Assert.False(opportunity.GetProperty("IsClosed").GetBoolean());
        Assert.Contains(opportunity.Str("CloseDate"), new[] { EndOfQuarter(today), EndOfQuarter(todayAfter) });

        var lead = await tenant.CallOkAsync("get_record", new { Id = leadId });
        Assert.Equal("Closed - Converted", result.Str("Status"));
        Assert.False(result.TryGetProperty("lead", out _));
        Assert.True(lead.GetProperty("IsConverted").GetBoolean());
        Assert.Equal("Closed - Converted", lead.Str("Status"));
        Assert.Contains(lead.Str("ConvertedDate"), new[] { Iso(today), Iso(todayAfter) });
        Assert.Equal(accountId, lead.Str("ConvertedAccountId"));
        Assert.Equal(contactId, lead.Str("ConvertedContactId"));
        Assert.Equal(opportunityId, lead.Str("ConvertedOpportunityId"));
        Assert.Equal("Radium Institute", lead.Str("Company"));
        Assert.Equal("marie@radium.test", lead.Str("Email"));

        Assert.Equal(1, (await tenant.CallOkAsync("find_records", new { @object = "Account" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(1, (await tenant.CallOkAsync("find_records", new { @object = "Contact" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(1, (await tenant.CallOkAsync("find_records", new { @object = "Opportunity" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(contactId, Assert.Single((await tenant.CallOkAsync("search_contacts", new { accountId })).GetProperty("records").EnumerateArray()).Str("Id"));

        // The change log tells the same story, in one transaction after the lead's creation: what was created holds the links it was created with.
        var log = ChangeLogFile.Read(server, tenant.TenantId);
        Assert.Equal([("Lead", leadId, "created"), ("Account", accountId, "created"), ("Contact", contactId, "created"), ("Opportunity", opportunityId, "created"), ("Lead", leadId, "converted")],
            log.Select(r => (r.Object, r.RecordId, r.Operation)));
        Assert.Equal(accountId, log[2].Changes.GetProperty("AccountId").GetProperty("after").GetString());
        Assert.Equal("Marie Curie", log[2].Changes.GetProperty("Name").GetProperty("after").GetString());
        Assert.Equal(accountId, log[3].Changes.GetProperty("AccountId").GetProperty("after").GetString());
        Assert.Equal("Radium Institute-", log[3].Changes.GetProperty("Name").GetProperty("after").GetString());
        Assert.True(log[4].Changes.GetProperty("IsConverted").GetProperty("after").GetBoolean());
        Assert.Equal("Working - Contacted", log[4].Changes.GetProperty("Status").GetProperty("before").GetString());
        Assert.Equal("Closed - Converted", log[4].Changes.GetProperty("Status").GetProperty("after").GetString());
        Assert.Equal(opportunityId, log[4].Changes.GetProperty("ConvertedOpportunityId").GetProperty("after").GetString());
    }

    [Fact]
    public async Task ConvertLead_OpportunityFields_SetOnTheNewDealInOneCall_AnswerIsCompact()
    {
        var tenant = await server.CreateTenantAsync("Convert with deal fields");
        string leadId = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = Curie })).Str("Id");

        var call = await tenant.CallAsync("convert_lead", new
        {
            LeadId = leadId, OpportunityName = "Radium - 40 seats",
            Opportunity = new { Amount = 48000, CloseDate = "2027-03-31", StageName = "Qualification", Description = "From the trade show." },
        });
        Assert.True(call.IsError != true, Mcp.Text(call));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(Mcp.Text(call)) <= 1536, $"convert_lead answered {Mcp.Text(call).Length} characters: {Mcp.Text(call)}");
        var result = Mcp.Structured(call);
        Assert.Equal((leadId, "Closed - Converted", "Radium Institute", "Marie Curie"), (result.Str("leadId"), result.Str("Status"), result.Str("accountName"), result.Str("contactName")));
        var deal = result.GetProperty("opportunity");
        Assert.Equal(("Radium - 40 seats", "Qualification", 48000d, "2027-03-31", tenant.UserId),
            (deal.Str("Name"), deal.Str("StageName"), deal.GetProperty("Amount").GetDouble(), deal.Str("CloseDate"), deal.Str("OwnerId")));
        var stored = await tenant.CallOkAsync("get_record", new { Id = result.Str("opportunityId") });
        Assert.Equal(("Qualification", 48000d, "2027-03-31", "From the trade show.", result.Str("accountId"), "Trade Show"),
            (stored.Str("StageName"), stored.GetProperty("Amount").GetDouble(), stored.Str("CloseDate"), stored.Str("Description"), stored.Str("AccountId"), stored.Str("LeadSource")));
    }

    [Fact]
    public async Task ConvertLead_BadOpportunityFields_RefusedNamingTheField_AndNothingIsWritten()
    {
        var tenant = await server.CreateTenantAsync("Convert bad deal fields");
        string leadId = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = Curie })).Str("Id");

        var badStage = Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { LeadId = leadId, Opportunity = new { StageName = "Signed" } }));
        Assert.StartsWith("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Opportunity.StageName: ", badStage);
        Assert.Equal("INVALID_ARGUMENT: Opportunity.AccountId: the new opportunity goes to the converted account. Send AccountId beside LeadId to use an existing account.",
            Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { LeadId = leadId, Opportunity = new { AccountId = "001000000000001AAA" } })));
        Assert.Equal("INVALID_ARGUMENT: Opportunity sets fields of the opportunity the conversion creates, but CreateOpportunity is false. Leave one of them out.",
            Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { LeadId = leadId, CreateOpportunity = false, Opportunity = new { Amount = 5 } })));
        Assert.StartsWith("INVALID_TYPE: ", Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { LeadId = leadId, Opportunity = "big" })));

        Assert.False((await tenant.CallOkAsync("get_record", new { Id = leadId })).GetProperty("IsConverted").GetBoolean());
        foreach (var obj in new[] { "Account", "Contact", "Opportunity" })
            Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = obj })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task ConvertLead_Options_NoOpportunityNamedOpportunityExistingAccountAndContactReused()
    {
        var tenant = await server.CreateTenantAsync("Convert options");

        // CreateOpportunity: false creates none.
        string first = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Ada", LastName = "Byron", Company = "Analytical Engines" } })).Str("Id");
        var noDeal = await tenant.CallOkAsync("convert_lead", new { LeadId = first, CreateOpportunity = false });
        Assert.False(noDeal.TryGetProperty("opportunityId", out _));
        Assert.False(noDeal.TryGetProperty("opportunity", out _));
        Assert.False((await tenant.CallOkAsync("get_record", new { Id = first })).TryGetProperty("ConvertedOpportunityId", out _));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Opportunity" })).GetProperty("totalSize").GetInt32());
        Assert.Equal("Analytical Engines", (await tenant.CallOkAsync("get_record", new { Id = noDeal.Str("accountId") })).Str("Name"));

        // OpportunityName is used.
        string second = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Babbage", Company = "Difference Engines" } })).Str("Id");
        var named = await tenant.CallOkAsync("convert_lead", new { LeadId = second, OpportunityName = "Difference Engine No. 2" });
        Assert.Equal("Difference Engine No. 2", (await tenant.CallOkAsync("get_record", new { Id = named.Str("opportunityId") })).Str("Name"));

        // An existing AccountId is reused and not overwritten; no second account of that name appears.
        string initechId = (await tenant.CallOkAsync("create_account", new { Name = "Initech", Industry = "Banking" })).Str("Id");
        var initech = await tenant.CallOkAsync("get_record", new { Id = initechId, fields = new[] { "LastModifiedDate" } });
        string third = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Peter", LastName = "Gibbons", Company = "Initech", Industry = "Technology", City = "Austin" } })).Str("Id");
        var reused = await tenant.CallOkAsync("convert_lead", new { LeadId = third, AccountId = initechId });
        Assert.False(reused.GetProperty("accountCreated").GetBoolean());
        Assert.True(reused.GetProperty("contactCreated").GetBoolean());
        Assert.Equal(initechId, reused.Str("accountId"));
        var initechAfter = await tenant.CallOkAsync("get_record", new { Id = initechId, fields = new[] { "Industry", "BillingCity", "LastModifiedDate" } });
        Assert.Equal("Banking", initechAfter.Str("Industry"));
        Assert.False(initechAfter.TryGetProperty("BillingCity", out _));
        Assert.Equal(initech.Str("LastModifiedDate"), initechAfter.Str("LastModifiedDate"));
        Assert.Equal(1, (await tenant.CallOkAsync("find_records", new { @object = "Account", where = new { Name = "Initech" } })).GetProperty("totalSize").GetInt32());
        Assert.Equal(initechId, (await tenant.CallOkAsync("get_record", new { Id = reused.Str("contactId") })).Str("AccountId"));
        Assert.Equal(initechId, (await tenant.CallOkAsync("get_record", new { Id = reused.Str("opportunityId") })).Str("AccountId"));
        Assert.Equal(initechId, (await tenant.CallOkAsync("get_record", new { Id = third })).Str("ConvertedAccountId"));

        // An existing ContactId without an account is reused, keeps its values and is linked to the new account.
        string loner = (await tenant.CallOkAsync("create_contact", new { FirstName = "Milton", LastName = "Waddams", Title = "Collator" })).Str("Id");
        string fourth = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Milt", LastName = "Waddams", Company = "Basement Staplers", Title = "Stapler owner" } })).Str("Id");
        var merged = await tenant.CallOkAsync("convert_lead", new { LeadId = fourth, ContactId = loner });
        Assert.False(merged.GetProperty("contactCreated").GetBoolean());
        Assert.True(merged.GetProperty("accountCreated").GetBoolean());
        Assert.Equal(loner, merged.Str("contactId"));
        var lonerAfter = await tenant.CallOkAsync("get_record", new { Id = loner });
        Assert.Equal("Milton", lonerAfter.Str("FirstName"));
        Assert.Equal("Collator", lonerAfter.Str("Title"));
        Assert.Equal(merged.Str("accountId"), lonerAfter.Str("AccountId"));
        Assert.Equal("Basement Staplers", (await tenant.CallOkAsync("get_record", new { Id = merged.Str("accountId") })).Str("Name"));
        Assert.Equal(loner, (await tenant.CallOkAsync("get_record", new { Id = fourth })).Str("ConvertedContactId"));

        // A ContactId with an account brings that account along.
        string bill = (await tenant.CallOkAsync("create_contact", new { FirstName = "Bill", LastName = "Lumbergh", AccountId = initechId })).Str("Id");
        string fifth = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Lumbergh", Company = "Initech Inc" } })).Str("Id");
        var viaContact = await tenant.CallOkAsync("convert_lead", new { LeadId = fifth, ContactId = bill, CreateOpportunity = false });
        Assert.False(viaContact.GetProperty("accountCreated").GetBoolean());
        Assert.Equal(initechId, viaContact.Str("accountId"));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Account", where = new { Name = "Initech Inc" } })).GetProperty("totalSize").GetInt32());

        // ...and a different AccountId than the contact's is refused, changing nothing.
        string sixth = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Smykowski", Company = "Initech" } })).Str("Id");
        string otherAccount = noDeal.Str("accountId");
        int contactsBefore = (await tenant.CallOkAsync("find_records", new { @object = "Contact" })).GetProperty("totalSize").GetInt32();
        Assert.Equal($"INVALID_ARGUMENT: Contact {bill} belongs to Account {initechId}, not {otherAccount}. Send that AccountId, or leave AccountId out to use the contact's account.",
            Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { LeadId = sixth, ContactId = bill, AccountId = otherAccount })));
        Assert.False((await tenant.CallOkAsync("get_record", new { Id = sixth })).GetProperty("IsConverted").GetBoolean());
        Assert.Equal(contactsBefore, (await tenant.CallOkAsync("find_records", new { @object = "Contact" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(3, (await tenant.CallOkAsync("find_records", new { @object = "Opportunity" })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task ConvertLead_CompanyLongerThanAnOpportunityName_DefaultNameCutToFit()
    {
        var tenant = await server.CreateTenantAsync("Convert long company");
        string company = "Consolidated " + new string('x', 242);
        Assert.Equal(255, company.Length);
        string longLead = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Long", Company = company } })).Str("Id");
        var converted = await tenant.CallOkAsync("convert_lead", new { LeadId = longLead });
        Assert.Equal(company, (await tenant.CallOkAsync("get_record", new { Id = converted.Str("accountId") })).Str("Name"));
        string dealName = (await tenant.CallOkAsync("get_record", new { Id = converted.Str("opportunityId") })).Str("Name");
        Assert.Equal(company[..119] + "-", dealName);
        Assert.Equal(120, dealName.Length);

        string fits = new('f', 119);
        string fitLead = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Fits", Company = fits } })).Str("Id");
        var fitted = await tenant.CallOkAsync("convert_lead", new { LeadId = fitLead });
        Assert.Equal(fits + "-", (await tenant.CallOkAsync("get_record", new { Id = fitted.Str("opportunityId") })).Str("Name"));

        // A name the caller chose is theirs: too long is refused, not cut.
        string chosenLead = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Chosen", Company = "Short Co" } })).Str("Id");
        Assert.StartsWith("INVALID_FIELD_VALUE: The lead cannot become an Opportunity: Opportunity.Name holds at most 120 characters; 121 were sent",
            Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { LeadId = chosenLead, OpportunityName = new string('o', 121) })));
        Assert.False((await tenant.CallOkAsync("get_record", new { Id = chosenLead })).GetProperty("IsConverted").GetBoolean());
        Assert.Equal(2, (await tenant.CallOkAsync("find_records", new { @object = "Account" })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task ConvertLead_AlreadyConvertedOrBadArguments_RefusedAndConvertedLeadIsReadOnly()
    {
        var tenant = await server.CreateTenantAsync("Convert twice");
        string leadId = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Rosalind", LastName = "Franklin", Company = "King's College" } })).Str("Id");
        var converted = await tenant.CallOkAsync("convert_lead", new { LeadId = leadId });
        string a = converted.Str("accountId"), c = converted.Str("contactId"), o = converted.Str("opportunityId");
        var lead = await tenant.CallOkAsync("get_record", new { Id = leadId });
        string on = lead.Str("ConvertedDate");

        Assert.Equal($"CONVERTED_LEAD: Lead '{leadId}' was already converted on {on} into Account {a}, Contact {c} and Opportunity {o}. Work with those records instead.",
            Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { LeadId = leadId })));
        Assert.Equal($"CONVERTED_LEAD: Lead '{leadId}' was already converted on {on} into Account {a}, Contact {c} and Opportunity {o}. Work with those records instead.",
            Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { LeadId = leadId, AccountId = a, CreateOpportunity = false })));
        Assert.Equal($"CANNOT_UPDATE_CONVERTED_LEAD: Lead '{leadId}' was converted on {on} and can no longer change. Update its Contact ({c}) or Account ({a}) instead.",
            Mcp.ErrorText(await tenant.CallAsync("update_record", new { Id = leadId, fields = new { Status = "Working - Contacted", Title = "Chemist" } })));
        Assert.True(JsonElement.DeepEquals(lead, await tenant.CallOkAsync("get_record", new { Id = leadId })), "the converted lead changed");
        foreach (var obj in new[] { "Account", "Contact", "Opportunity" })
            Assert.Equal(1, (await tenant.CallOkAsync("find_records", new { @object = obj })).GetProperty("totalSize").GetInt32());

        string fresh = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Wilkins", Company = "King's College" } })).Str("Id");
        Assert.Equal("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: ConvertedStatus 'Closed - Not Converted' is not a converted lead status. Send one of: Closed - Converted.",
            Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { LeadId = fresh, ConvertedStatus = "Closed - Not Converted" })));
        Assert.Equal($"NOT_FOUND: no contact '003000000000001AAA' in this org. Check the Id, or search for the record first.",
            Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { LeadId = fresh, ContactId = "003000000000001AAA" })));
        Assert.Equal($"NOT_FOUND: '{a}' is not a Lead Id (Lead Ids start with 00Q). It is the Id of an Account.",
            Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { LeadId = a })));
        Assert.Equal("REQUIRED_FIELD_MISSING: convert_lead.LeadId is required. Send a value for 'LeadId'.", Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { })));
        await tenant.CallOkAsync("delete_record", new { Id = fresh });
        Assert.StartsWith($"ENTITY_IS_DELETED: Lead '{fresh}' is in the recycle bin", Mcp.ErrorText(await tenant.CallAsync("convert_lead", new { LeadId = fresh })));
        foreach (var obj in new[] { "Account", "Contact", "Opportunity" })
            Assert.Equal(1, (await tenant.CallOkAsync("find_records", new { @object = obj })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task ConvertLead_ActivitiesAboutTheLead_MoveToTheNewContact()
    {
        var tenant = await server.CreateTenantAsync("Convert activities");
        string leadId = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Lise", LastName = "Meitner", Company = "KWI" } })).Str("Id");
        string otherLead = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Hahn", Company = "KWI" } })).Str("Id");
        var task = await tenant.CallOkAsync("create_task", new { Subject = "Call Lise", WhoId = leadId, ActivityDate = "2026-12-01" });
        var evt = await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = "Lab visit", WhoId = leadId, StartDateTime = "2026-12-02T10:00:00Z", EndDateTime = "2026-12-02T11:00:00Z" } });
        string otherTask = (await tenant.CallOkAsync("create_record", new { @object = "Task", fields = new { Subject = "Call Otto", WhoId = otherLead } })).Str("Id");

        var converted = await tenant.CallOkAsync("convert_lead", new { LeadId = leadId });
        string contactId = converted.Str("contactId");

        var movedTask = await tenant.CallOkAsync("get_record", new { Id = task.Str("Id") });
        Assert.Equal(contactId, movedTask.Str("WhoId"));
        Assert.False(movedTask.TryGetProperty("WhatId", out _));
        Assert.Equal("Call Lise", movedTask.Str("Subject"));
        Assert.Equal("2026-12-01", movedTask.Str("ActivityDate"));
        Assert.Equal("Not Started", movedTask.Str("Status"));
        var movedEvent = await tenant.CallOkAsync("get_record", new { Id = evt.Str("Id") });
        Assert.Equal(contactId, movedEvent.Str("WhoId"));
        Assert.Equal(60, movedEvent.GetProperty("DurationInMinutes").GetInt32());
        Assert.Equal(otherLead, (await tenant.CallOkAsync("get_record", new { Id = otherTask })).Str("WhoId"));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Task", where = new { WhoId = leadId } })).GetProperty("totalSize").GetInt32());
        Assert.Equal([task.Str("Id")], (await tenant.CallOkAsync("find_records", new { @object = "Task", where = new { WhoId = contactId } })).GetProperty("records").EnumerateArray().Select(r => r.Str("Id")).ToArray());
    }

    [Fact]
    public async Task Activities_WhoIdAndWhatId_AllowedObjectsAndNoWhatWithLead()
    {
        var tenant = await server.CreateTenantAsync("Who and what");
        string leadId = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Franklin", Company = "KCL" } })).Str("Id");
        string accountId = (await tenant.CallOkAsync("create_account", new { Name = "KCL" })).Str("Id");
        string contactId = (await tenant.CallOkAsync("create_contact", new { LastName = "Wilkins", AccountId = accountId })).Str("Id");
        string dealId = (await tenant.CallOkAsync("create_opportunity", new { Name = "Photo 51", StageName = "Prospecting", CloseDate = "2026-12-31", AccountId = accountId })).Str("Id");

        string leadWithWhat = $"Task.WhatId ('{accountId}') must be empty when WhoId is a Lead ('{leadId}'): leads are not related to accounts or opportunities. Leave WhatId out, or set WhoId to a Contact.";
        Assert.Equal($"INVALID_FIELD_VALUE: {leadWithWhat}", Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Task", fields = new { Subject = "X", WhoId = leadId, WhatId = accountId } })));
        Assert.Equal($"INVALID_FIELD_VALUE: {leadWithWhat}", Mcp.ErrorText(await tenant.CallAsync("create_task", new { Subject = "X", WhoId = leadId, WhatId = accountId })));
        Assert.Equal($"INVALID_FIELD_VALUE: Event.WhatId ('{dealId}') must be empty when WhoId is a Lead ('{leadId}'): leads are not related to accounts or opportunities. Leave WhatId out, or set WhoId to a Contact.",
            Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Event", fields = new { Subject = "X", WhoId = leadId, WhatId = dealId, StartDateTime = "2026-12-01T10:00:00Z", EndDateTime = "2026-12-01T11:00:00Z" } })));
        Assert.Equal($"INVALID_CROSS_REFERENCE_KEY: Task.WhoId must point to Contact or Lead; '{accountId}' is the Id of an Account. Send the Id of a Contact (003…) or a Lead (00Q…).",
            Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Task", fields = new { Subject = "X", WhoId = accountId } })));
        Assert.Equal($"INVALID_CROSS_REFERENCE_KEY: Task.WhatId must point to Account or Opportunity; '{contactId}' is the Id of a Contact. Send the Id of an Account (001…) or an Opportunity (006…).",
            Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Task", fields = new { Subject = "X", WhatId = contactId } })));
        Assert.Equal($"INVALID_CROSS_REFERENCE_KEY: Event.WhoId must point to Contact or Lead; '{dealId}' is the Id of an Opportunity. Send the Id of a Contact (003…) or a Lead (00Q…).",
            Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Event", fields = new { Subject = "X", WhoId = dealId, StartDateTime = "2026-12-01T10:00:00Z", EndDateTime = "2026-12-01T11:00:00Z" } })));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Task" })).GetProperty("totalSize").GetInt32());
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Event" })).GetProperty("totalSize").GetInt32());

        var aboutLead = await tenant.CallOkAsync("create_record", new { @object = "Task", fields = new { Subject = "Call about lead", WhoId = leadId } });
        Assert.Equal(leadId, aboutLead.Str("WhoId"));
        var aboutContact = await tenant.CallOkAsync("create_record", new { @object = "Task", fields = new { Subject = "Call about deal", WhoId = contactId, WhatId = dealId } });
        Assert.Equal(contactId, aboutContact.Str("WhoId"));
        Assert.Equal(dealId, aboutContact.Str("WhatId"));
        var onAccount = await tenant.CallOkAsync("create_record", new { @object = "Event", fields = new { Subject = "Visit", WhatId = accountId, StartDateTime = "2026-12-01T10:00:00Z", EndDateTime = "2026-12-01T11:00:00Z" } });
        Assert.Equal(accountId, onAccount.Str("WhatId"));

        // Updates meet the same rule, whichever side changes; the record stays as it was.
        Assert.Equal($"INVALID_FIELD_VALUE: {leadWithWhat}", Mcp.ErrorText(await tenant.CallAsync("update_record", new { Id = aboutLead.Str("Id"), fields = new { WhatId = accountId } })));
        Assert.Equal($"INVALID_FIELD_VALUE: Task.WhatId ('{dealId}') must be empty when WhoId is a Lead ('{leadId}'): leads are not related to accounts or opportunities. Leave WhatId out, or set WhoId to a Contact.",
            Mcp.ErrorText(await tenant.CallAsync("update_record", new { Id = aboutContact.Str("Id"), fields = new { WhoId = leadId } })));
        Assert.False((await tenant.CallOkAsync("get_record", new { Id = aboutLead.Str("Id") })).TryGetProperty("WhatId", out _));
        Assert.Equal(contactId, (await tenant.CallOkAsync("get_record", new { Id = aboutContact.Str("Id") })).Str("WhoId"));
        var cleared = await tenant.CallOkAsync("update_record", new { Id = aboutContact.Str("Id"), fields = new { WhoId = leadId, WhatId = (string?)null } });
        Assert.Equal(leadId, cleared.Str("WhoId"));
        Assert.False(cleared.TryGetProperty("WhatId", out _));
    }

    [Fact]
    public async Task ConvertedStatus_OnlyThroughConversion_AndDeletedActivitiesMoveToo()
    {
        var tenant = await server.CreateTenantAsync("Lead status rule");
        string refused = Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Lead", fields = new { LastName = "Fake", Company = "Fakers", Status = "Closed - Converted" } }));
        Assert.Equal("INVALID_FIELD_VALUE: Lead.Status 'Closed - Converted' is set by convert_lead, which also creates the Account and Contact. Call convert_lead, or send another status, e.g. Working - Contacted.", refused);
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Lead" })).GetProperty("totalSize").GetInt32());

        string leadId = (await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { LastName = "Real", Company = "Realty" } })).Str("Id");
        Assert.StartsWith("INVALID_FIELD_VALUE: Lead.Status 'Closed - Converted' is set by convert_lead",
            Mcp.ErrorText(await tenant.CallAsync("update_record", new { Id = leadId, fields = new { Status = "closed - converted" } })));
        Assert.Equal("Open - Not Contacted", (await tenant.CallOkAsync("get_record", new { Id = leadId })).Str("Status"));

        string binned = (await tenant.CallOkAsync("create_task", new { Subject = "Old call", WhoId = leadId })).Str("Id");
        await tenant.CallOkAsync("delete_record", new { Id = binned });
        var converted = await tenant.CallOkAsync("convert_lead", new { LeadId = leadId, CreateOpportunity = false });
        await tenant.CallOkAsync("restore_record", new { Id = binned });
        Assert.Equal(converted.Str("contactId"), (await tenant.CallOkAsync("get_record", new { Id = binned })).Str("WhoId"));
    }


    static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static string EndOfQuarter(DateOnly day)
    {
        int lastMonth = (day.Month + 2) / 3 * 3;
        return Iso(new DateOnly(day.Year, lastMonth, DateTime.DaysInMonth(day.Year, lastMonth)));
    }
}
