using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>describe_object and the generic record tools over every object, with value-exact round trips.</summary>
public sealed class GenericRecordToolsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task DescribeObject_ListsObjects_AndDescribesFieldsAndRelationships()
    {
        var tenant = await server.CreateTenantAsync("Describe");
        var list = await tenant.CallOkAsync("describe_object");
        Assert.Equal(["Account", "Contact", "Lead", "Opportunity", "Task", "Event", "User", "ContentVersion", "ContentDocument", "ContentDocumentLink"], list.GetProperty("objects").EnumerateArray().Select(o => o.Str("name")));
        Assert.Equal("00Q", list.GetProperty("objects")[2].Str("keyPrefix"));

        var lead = await tenant.CallOkAsync("describe_object", new { @object = "lead" });
        Assert.Equal("Lead", lead.Str("name"));
        var fields = lead.GetProperty("fields").EnumerateArray().ToDictionary(f => f.Str("name"));
        Assert.Equal("string", fields["Company"].Str("type"));
        Assert.True(fields["Company"].GetProperty("required").GetBoolean());
        Assert.Equal(255, fields["Company"].GetProperty("length").GetInt32());
        Assert.Equal("picklist", fields["Status"].Str("type"));
        Assert.Equal("Open - Not Contacted", fields["Status"].Str("defaultValue"));
        Assert.Contains("Closed - Converted", fields["Status"].GetProperty("picklistValues").EnumerateArray().Select(v => v.GetString()));
        Assert.False(fields["IsConverted"].GetProperty("createable").GetBoolean());
        Assert.Equal(["Account"], fields["ConvertedAccountId"].GetProperty("referenceTo").EnumerateArray().Select(v => v.GetString()));
        Assert.False(fields["Description"].GetProperty("filterable").GetBoolean());
        foreach (var audit in new[] { "Id", "IsDeleted", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp" })
            Assert.True(fields.ContainsKey(audit), audit);

        var account = await tenant.CallOkAsync("describe_object", new { @object = "Account" });
        var children = account.GetProperty("childRelationships").EnumerateArray().Select(c => $"{c.Str("childObject")}.{c.Str("field")}").ToList();
        Assert.Contains("Contact.AccountId", children);
        Assert.Contains("Opportunity.AccountId", children);
        Assert.Contains("Task.WhatId", children);
        Assert.Contains("Account.ParentId", children);
        var opportunity = await tenant.CallOkAsync("describe_object", new { @object = "Opportunity" });
        var amount = opportunity.GetProperty("fields").EnumerateArray().Single(f => f.Str("name") == "Amount");
        Assert.Equal("currency", amount.Str("type"));
        Assert.Equal(18, amount.GetProperty("precision").GetInt32());
        Assert.Equal(2, amount.GetProperty("scale").GetInt32());

        Assert.Equal("INVALID_ARGUMENT: 'Contcat' is not an object. Did you mean 'Contact'? Send one of: Account, Contact, Lead, Opportunity, Task, Event, User, ContentVersion, ContentDocument, ContentDocumentLink.",
            Mcp.ErrorText(await tenant.CallAsync("describe_object", new { @object = "Contcat" })));
    }

    public static TheoryData<string, string> EveryObject => new()
    {
        { "Account", """{"Name":"Initech","AccountNumber":"AC-1","Type":"Customer - Direct","Industry":"Banking","Rating":"Hot","AnnualRevenue":2500000,"NumberOfEmployees":250,"Website":"https://initech.test","Phone":"+1 512 555 0100","Fax":"+1 512 555 0101","BillingStreet":"1 Main St\nSuite 2","BillingCity":"Austin","BillingState":"TX","BillingPostalCode":"78701","BillingCountry":"USA","ShippingCity":"Dallas","ShippingCountry":"USA","Description":"TPS reports"}""" },
        { "Contact", """{"Salutation":"Dr.","FirstName":"Ana","LastName":"Lima","Email":"ana@lima.test","Phone":"+55 11 5555 0100","MobilePhone":"+55 11 95555 0100","HomePhone":"555-0102","Title":"CTO","Department":"Engineering","Birthdate":"1985-04-12","LeadSource":"Partner Referral","HasOptedOutOfEmail":true,"DoNotCall":false,"MailingStreet":"Rua 1","MailingCity":"São Paulo","MailingState":"SP","MailingPostalCode":"01000-000","MailingCountry":"Brazil","Description":"Met at a conference"}""" },
        { "Lead", """{"Salutation":"Ms.","FirstName":"Kim","LastName":"Park","Company":"Hooli","Title":"VP Sales","Email":"kim@hooli.test","Phone":"+1 650 555 0100","Website":"hooli.test","Status":"Working - Contacted","Rating":"Warm","LeadSource":"Trade Show","Industry":"Technology","AnnualRevenue":90000000,"NumberOfEmployees":5000,"City":"Palo Alto","State":"CA","PostalCode":"94301","Country":"USA","Description":"Asked for a demo"}""" },
        { "Opportunity", """{"Name":"Initech renewal","StageName":"Negotiation/Review","CloseDate":"2027-02-28","Amount":125000.5,"Probability":80,"Type":"Existing Customer - Upgrade","LeadSource":"Web","NextStep":"Send the contract","Description":"Three-year deal"}""" },
        { "Task", """{"Subject":"Call back","Status":"In Progress","Priority":"High","Type":"Call","ActivityDate":"2026-12-01","Description":"About pricing"}""" },
        { "Event", """{"Subject":"Demo","StartDateTime":"2026-12-02T15:00:00.000+0000","EndDateTime":"2026-12-02T16:30:00.000+0000","Type":"Meeting","Location":"Zoom","IsAllDayEvent":false,"Description":"Product demo"}""" },
    };

    [Theory]
    [MemberData(nameof(EveryObject))]
    public async Task CreateGetUpdateDeleteRestore_EveryObject_RoundTripsValues(string objectName, string fieldsJson)
    {
        var tenant = await server.CreateTenantAsync("Generic " + objectName);
        using var document = JsonDocument.Parse(fieldsJson);
        var sent = document.RootElement;

        var created = await tenant.CallOkAsync("create_record", new { @object = objectName, fields = sent });
        string id = created.Str("Id");
        Assert.Equal(18, id.Length);
        var read = await tenant.CallOkAsync("get_record", new { Id = id });
        foreach (var property in sent.EnumerateObject())
            Assert.True(JsonElement.DeepEquals(property.Value, read.GetProperty(property.Name)), $"{objectName}.{property.Name}: sent {property.Value}, read {read.GetProperty(property.Name)}");
        Assert.False(read.TryGetProperty("CreatedById", out _), "audit fields are left out unless asked for");
        var audit = await tenant.CallOkAsync("get_record", new { Id = id, fields = new[] { "CreatedById", "LastModifiedById", "IsDeleted" } });
        Assert.Equal((tenant.UserId, tenant.UserId, false), (audit.Str("CreatedById"), audit.Str("LastModifiedById"), audit.GetProperty("IsDeleted").GetBoolean()));
        Assert.Equal(tenant.UserId, read.Str("OwnerId"));
        if (objectName == "Event")
        {
            Assert.Equal(90, read.GetProperty("DurationInMinutes").GetInt32());
            Assert.Equal("2026-12-02", read.Str("ActivityDate"));
        }
        if (objectName == "Opportunity")
        {
            Assert.Equal(100000.4, read.GetProperty("ExpectedRevenue").GetDouble());
            Assert.Equal("Pipeline", read.Str("ForecastCategory"));
        }

        // The 15-character Id and an explicit object work too; fields trims the result.
        var trimmed = await tenant.CallOkAsync("get_record", new { Id = id[..15], @object = objectName, fields = new[] { "CreatedDate" } });
        Assert.Equal(["CreatedDate", "Id"], trimmed.EnumerateObject().Select(p => p.Name).Order());

        var updated = await tenant.CallOkAsync("update_record", new { Id = id, fields = new Dictionary<string, object?> { ["Description"] = "changed", [FirstClearable(sent)] = null } });
        Assert.Equal("changed", updated.Str("Description"));
        Assert.False(updated.TryGetProperty(FirstClearable(sent), out _));
        Assert.Equal("changed", (await tenant.CallOkAsync("get_record", new { Id = id })).Str("Description"));

        var deleted = await tenant.CallOkAsync("delete_record", new { Id = id });
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.Equal(objectName, deleted.Str("object"));
        Assert.StartsWith("ENTITY_IS_DELETED:", Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = id })));
        var restored = await tenant.CallOkAsync("restore_record", new { Id = id });
        Assert.True(restored.GetProperty("restored").GetBoolean());
        Assert.Equal("changed", (await tenant.CallOkAsync("get_record", new { Id = id })).Str("Description"));
    }

    static string FirstClearable(JsonElement sent) =>
        sent.EnumerateObject().Select(p => p.Name).First(n => n is "Phone" or "Title" or "NextStep" or "Location" or "Type" or "Website");

    [Fact]
    public async Task GenericTools_GiveClearErrors()
    {
        var tenant = await server.CreateTenantAsync("Generic errors");
        var contact = await tenant.CallOkAsync("create_contact", new { LastName = "Known" });

        Assert.Equal("REQUIRED_FIELD_MISSING: object is required. Send one of: Account, Contact, Lead, Opportunity, Task, Event, User, ContentVersion, ContentDocument, ContentDocumentLink.",
            Mcp.ErrorText(await tenant.CallAsync("create_record", new { fields = new { LastName = "X" } })));
        Assert.Equal("REQUIRED_FIELD_MISSING: fields is required: an object of field values by API name, e.g. {\"LastName\": \"Ng\"}.",
            Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Contact" })));
        Assert.Equal("INVALID_FIELD: 'Emial' is not a field on Contact. Did you mean 'Email'?",
            Mcp.ErrorText(await tenant.CallAsync("create_record", new { @object = "Contact", fields = new { LastName = "X", Emial = "x@y.test" } })));
        Assert.Equal("MALFORMED_ID: 'nope' is not a valid record Id. Send the 15- or 18-character Id.",
            Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = "nope" })));
        Assert.StartsWith("NOT_FOUND: '" + contact.Str("Id") + "' is not a Account Id",
            Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = contact.Str("Id"), @object = "Account" })));
        Assert.Equal("INVALID_FIELD: fields: 'Nmae' is not a field on Contact. Did you mean 'Name'? Call describe_object with object Contact for the list.",
            Mcp.ErrorText(await tenant.CallAsync("get_record", new { Id = contact.Str("Id"), fields = new[] { "Nmae" } })));
        Assert.Equal(1, (await tenant.CallOkAsync("find_records", new { @object = "Contact" })).GetProperty("totalSize").GetInt32());
    }
}
