using System.Net;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Custom object definitions under hostile input (docs/custom-objects.md): bad and injected names, labels and formats,
/// lookups to nothing, master-detail cycles and the per-tenant limit each get a clear error and change nothing; text
/// that is only odd is stored as sent, as a parameter, never as SQL.
/// </summary>
public sealed class CustomObjectHostileTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static object Define(string name, object? spec = null) => new { @object = name, define_object = spec ?? new { label = "X" } };

    static async Task<string[]> CustomObjectNamesAsync(TestTenant tenant)
    {
        var list = await tenant.CallOkAsync("describe_object");
        return list.GetProperty("objects").EnumerateArray().Where(o => o.TryGetProperty("custom", out _)).Select(o => o.Str("name")).ToArray();
    }

    [Fact]
    public async Task BadNamesLabelsAndFormats_AreRefusedClearly_AndDefineNothing()
    {
        var tenant = await server.CreateTenantAsync("Custom hostile names");
        (object Args, string Expected)[] cases =
        [
            (Define("Invoice"), "INVALID_ARGUMENT: 'Invoice' is not a valid custom object name. Use up to 40 letters, digits and single underscores, starting with a letter and ending in __c, e.g. Invoice__c."),
            (Define("1nvoice__c"), "INVALID_ARGUMENT: '1nvoice__c' is not a valid custom object name."),
            (Define("Invoice__c'; DROP TABLE custom_object_records; --"), "INVALID_ARGUMENT: 'Invoice__c'; DROP TABLE custom_object_records; --' is not a valid custom object name."),
            (Define("In voice__c"), "INVALID_ARGUMENT: 'In voice__c' is not a valid custom object name."),
            (Define("Invoice__C"), "INVALID_ARGUMENT: 'Invoice__C' is not a valid custom object name."),
            (Define("Inv__oice__c"), "INVALID_ARGUMENT: 'Inv__oice__c' is not a valid custom object name."),
            (Define(new string('A', 41) + "__c"), "INVALID_ARGUMENT: '" + new string('A', 41) + "__c' is not a valid custom object name."),
            (Define("Account__c"), "INVALID_ARGUMENT: 'Account__c' would read as the standard object Account. Choose a name of your own, e.g. Account_Record__c, or add custom fields to Account with define_custom_field instead."),
            (Define("Select__c"), "INVALID_ARGUMENT: 'Select' is a reserved word and cannot name an object. Choose another name, e.g. My_Select__c."),
            (Define("Invoice__c", new { label = new string('L', 41) }), "INVALID_ARGUMENT: label holds at most 40 characters; 41 were sent. Shorten it."),
            (Define("Invoice__c", new { label = "In\u0000voice" }), "INVALID_ARGUMENT: label contains control characters (tabs, line breaks, NUL). Send plain text."),
            (Define("Invoice__c", new { plural_label = "A\nB" }), "INVALID_ARGUMENT: plural_label contains control characters (tabs, line breaks, NUL). Send plain text."),
            (Define("Invoice__c", new { name_field = new { type = "AutoNumber" } }), "INVALID_ARGUMENT: An AutoNumber name needs a format with one {0…} group"),
            (Define("Invoice__c", new { name_field = new { type = "AutoNumber", format = "INV-{0000}{00}" } }), "INVALID_ARGUMENT: An AutoNumber name needs a format"),
            (Define("Invoice__c", new { name_field = new { type = "AutoNumber", format = "INV-{0000}' OR 1=1" } }), "INVALID_ARGUMENT: An AutoNumber name needs a format"),
            (Define("Invoice__c", new { name_field = new { type = "Formula" } }), "INVALID_ARGUMENT: name_field type 'Formula' is not Text or AutoNumber. Send one of those."),
            (Define("Invoice__c", new { name_field = new { type = "Text", format = "X-{00}" } }), "INVALID_ARGUMENT: format applies to an AutoNumber name field only."),
            (Define("Invoice__c", new { colour = "red" }), "INVALID_ARGUMENT: define_object has no 'colour'."),
        ];
        foreach (var (args, expected) in cases)
            Assert.StartsWith(expected, Mcp.ErrorText(await tenant.CallAsync("define_custom_field", args)));
        Assert.Empty(await CustomObjectNamesAsync(tenant));

        // Odd but harmless text is stored exactly as sent, as data.
        string label = "Robert'); DROP TABLE x;--";
        var defined = await tenant.CallOkAsync("define_custom_field", Define("Odd__c", new { label, plural_label = "<script>alert(1)</script>" }));
        Assert.Equal(label, defined.Str("label"));
        using var rest = new ServerRest(server.BaseUri, tenant.ApiKey);
        var (status, describe) = await rest.SendAsync(HttpMethod.Get, "services/data/v60.0/sobjects/Odd__c/describe");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(label, describe.Str("label"));
        Assert.Equal("<script>alert(1)</script>", describe.Str("labelPlural"));
        var created = await tenant.CallOkAsync("create_record", new { @object = "Odd__c", fields = new { Name = "x' OR '1'='1" } });
        var query = await tenant.CallOkAsync("soql_query", new { query = "SELECT Id, Name FROM Odd__c WHERE Name = 'x\\' OR \\'1\\'=\\'1'" });
        Assert.Equal(created.Str("Id"), Assert.Single(query.GetProperty("records").EnumerateArray()).Str("Id"));

        // Unknown types on REST are a 404, never a 5xx.
        (status, _) = await rest.SendAsync(HttpMethod.Get, "services/data/v60.0/sobjects/Nope__c/describe");
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await rest.SendAsync(HttpMethod.Post, "services/data/v60.0/sobjects/Odd__c'--", new { Name = "x" });
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(["Odd__c"], await CustomObjectNamesAsync(tenant));
    }

    [Fact]
    public async Task BadReferences_AndMasterDetailCycles_AreRefused_AndChangeNothing()
    {
        var tenant = await server.CreateTenantAsync("Custom hostile references");
        await tenant.CallOkAsync("define_custom_field", Define("Parent_Thing__c"));
        await tenant.CallOkAsync("define_custom_field", Define("Child_Thing__c"));
        (object Args, string Expected)[] cases =
        [
            (new { @object = "Child_Thing__c", api_name = "Ref__c", type = "Lookup" }, "INVALID_ARGUMENT: A Lookup field needs reference_to: the object it points to, e.g. Account or Invoice__c."),
            (new { @object = "Child_Thing__c", api_name = "Ref__c", type = "Lookup", reference_to = "Nothing__c" }, "INVALID_ARGUMENT: reference_to 'Nothing__c' is not an object of this org."),
            (new { @object = "Child_Thing__c", api_name = "Ref__c", type = "Lookup", reference_to = "Account'--" }, "INVALID_ARGUMENT: reference_to 'Account'--' is not an object of this org."),
            (new { @object = "Child_Thing__c", api_name = "Ref__c", type = "Lookup", reference_to = "Account", on_delete = "cascade" }, "INVALID_ARGUMENT: on_delete of a Lookup is clear (the default: the reference is emptied) or restrict (the delete is refused); 'cascade' was sent."),
            (new { @object = "Child_Thing__c", api_name = "Ref__c", type = "MasterDetail", reference_to = "Account", on_delete = "restrict" }, "INVALID_ARGUMENT: A MasterDetail field always cascades"),
            (new { @object = "Contact", api_name = "Master__c", type = "MasterDetail", reference_to = "Parent_Thing__c" }, "INVALID_ARGUMENT: A MasterDetail field goes on a custom object (the detail); Contact is a standard object. Define a Lookup on Contact instead."),
            (new { @object = "Child_Thing__c", api_name = "Master__c", type = "MasterDetail", reference_to = "User" }, "INVALID_ARGUMENT: User cannot be a master."),
            (new { @object = "Child_Thing__c", api_name = "Master__c", type = "MasterDetail", reference_to = "Child_Thing__c" }, "INVALID_ARGUMENT: A MasterDetail from Child_Thing__c to Child_Thing__c would make a cycle of masters"),
            (new { @object = "Child_Thing__c", api_name = "Ref__c", type = "Lookup", reference_to = "Account", @default = "001000000000000AAA" }, "INVALID_ARGUMENT: A Lookup or MasterDetail field has no default."),
            (new { @object = "Child_Thing__c", api_name = "Ref__c", type = "Lookup", reference_to = "Account", relationship_name = "Bad Name" }, "INVALID_ARGUMENT: relationship_name 'Bad Name' is not a valid name."),
            (new { @object = "Nothing__c", api_name = "Ref__c", type = "Text" }, "INVALID_ARGUMENT: object 'Nothing__c' is not an object."),
        ];
        foreach (var (args, expected) in cases)
            Assert.StartsWith(expected, Mcp.ErrorText(await tenant.CallAsync("define_custom_field", args)));
        var described = await tenant.CallOkAsync("describe_object", new { @object = "Child_Thing__c" });
        Assert.DoesNotContain(described.GetProperty("fields").EnumerateArray(), f => f.GetProperty("custom").GetBoolean());

        // A cycle through two objects: Child → Parent is fine; Parent → Child then closes the loop.
        await tenant.CallOkAsync("define_custom_field", new { @object = "Child_Thing__c", api_name = "Parent__c", type = "MasterDetail", reference_to = "Parent_Thing__c" });
        Assert.StartsWith("INVALID_ARGUMENT: A MasterDetail from Parent_Thing__c to Child_Thing__c would make a cycle of masters",
            Mcp.ErrorText(await tenant.CallAsync("define_custom_field", new { @object = "Parent_Thing__c", api_name = "Child__c", type = "MasterDetail", reference_to = "Child_Thing__c" })));
        // A second lookup whose children would have the same name on the parent needs a relationship_name of its own.
        Assert.StartsWith("INVALID_ARGUMENT: Parent_Thing__c already calls its Child_Thing__c children (through Parent__c) Xs__r. Send relationship_name with another name",
            Mcp.ErrorText(await tenant.CallAsync("define_custom_field", new { @object = "Child_Thing__c", api_name = "Other__c", type = "Lookup", reference_to = "Parent_Thing__c" })));
        await tenant.CallOkAsync("define_custom_field", new { @object = "Child_Thing__c", api_name = "Other__c", type = "Lookup", reference_to = "Parent_Thing__c", relationship_name = "Other_Children" });
        // A reference cannot change its target once defined.
        Assert.StartsWith("INVALID_ARGUMENT: Child_Thing__c.Other__c cannot be redefined: it is a Lookup to Parent_Thing__c",
            Mcp.ErrorText(await tenant.CallAsync("define_custom_field", new { @object = "Child_Thing__c", api_name = "Other__c", type = "Lookup", reference_to = "Account" })));
    }

    [Fact]
    public async Task ObjectLimit_TheNextOneIsRefused_WithWhatToDo()
    {
        var tenant = await server.CreateTenantAsync("Custom hostile limit");
        for (int i = 0; i < 200; i++)
            await tenant.CallOkAsync("define_custom_field", Define($"Obj_{i}__c"));
        string refused = Mcp.ErrorText(await tenant.CallAsync("define_custom_field", Define("One_Too_Many__c")));
        Assert.Equal("INVALID_ARGUMENT: This org already has 200 custom objects, the most an org can have. Add fields to an existing object instead.", refused);
        // Redefining an existing one still works, and keeps its prefix: the 200th is a5J (199 = 5 × 36 + 19).
        var again = await tenant.CallOkAsync("define_custom_field", Define("Obj_199__c", new { label = "Last" }));
        Assert.Equal("a5J", again.Str("keyPrefix"));
        Assert.Equal("Last", again.Str("label"));
        Assert.Equal(200, (await CustomObjectNamesAsync(tenant)).Length);
    }
}
