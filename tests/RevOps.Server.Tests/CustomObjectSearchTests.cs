using System.Net;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>search_crm and /api/search find custom-object records by Name (migration 0031), follow deletes and restores, and stay in their tenant.</summary>
public sealed class CustomObjectSearchTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static async Task DefineProjectsAsync(TestTenant tenant)
    {
        await tenant.CallOkAsync("define_custom_field", new { @object = "Project__c", define_object = new { label = "Project", plural_label = "Projects" } });
        await tenant.CallOkAsync("define_custom_field", new
        {
            @object = "Milestone__c",
            define_object = new { label = "Milestone", plural_label = "Milestones", name_field = new { type = "AutoNumber", format = "MS-{000}" } },
            api_name = "Project__c",
            type = "MasterDetail",
            reference_to = "Project__c",
        });
    }

    static string[] Found(JsonElement result) =>
        result.GetProperty("records").EnumerateArray().Select(r => $"{r.Str("object")}:{r.Str("Name")}").OrderBy(s => s, StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task SearchCrm_FindsCustomObjectRecordsByName_FollowsDeleteAndRestore()
    {
        var tenant = await server.CreateTenantAsync("Search custom objects");
        await DefineProjectsAsync(tenant);
        string apollo = (await tenant.CallOkAsync("create_record", new { @object = "Project__c", fields = new { Name = "Apollo Rollout" } })).Str("Id");
        await tenant.CallOkAsync("create_record", new { @object = "Project__c", fields = new { Name = "Gemini Pilot" } });
        await tenant.CallOkAsync("create_record", new { @object = "Milestone__c", fields = new Dictionary<string, object> { ["Project__c"] = apollo } });
        await tenant.CallOkAsync("create_account", new { Name = "Apollo Tyres" });

        var all = await tenant.CallOkAsync("search_crm", new { text = "apollo", mode = "keyword" });
        Assert.Equal(["Account:Apollo Tyres", "Project__c:Apollo Rollout"], Found(all));
        var hit = all.GetProperty("records").EnumerateArray().Single(r => r.Str("object") == "Project__c");
        Assert.Equal(apollo, hit.Str("Id"));
        Assert.Equal("Name", hit.Str("matchedField"));
        // Auto mode (the default) and a scope of one custom object; an auto-numbered Name is searchable too.
        Assert.Equal(["Project__c:Apollo Rollout"], Found(await tenant.CallOkAsync("search_crm", new { text = "Apollo", objects = new[] { "project__c" } })));
        Assert.Equal(["Milestone__c:MS-001"], Found(await tenant.CallOkAsync("search_crm", new { text = "MS-001" })));
        // A close spelling finds it too (the trigram index follows search_doc).
        Assert.Contains("Project__c:Gemini Pilot", Found(await tenant.CallOkAsync("search_crm", new { text = "Gemnii", mode = "keyword" })));
        Assert.StartsWith("INVALID_ARGUMENT: objects: 'Projects__c' cannot be searched. Did you mean 'Project__c'?",
            Mcp.ErrorText(await tenant.CallAsync("search_crm", new { text = "Apollo", objects = new[] { "Projects__c" } })));

        // A rename is found by the new name only; a delete (cascading to the milestone) hides both; a restore brings both back.
        await tenant.CallOkAsync("update_record", new { Id = apollo, fields = new { Name = "Artemis Rollout" } });
        Assert.Equal(["Account:Apollo Tyres"], Found(await tenant.CallOkAsync("search_crm", new { text = "apollo", mode = "keyword" })));
        await tenant.CallOkAsync("delete_record", new { Id = apollo });
        Assert.Empty(Found(await tenant.CallOkAsync("search_crm", new { text = "artemis", mode = "keyword" })));
        Assert.Empty(Found(await tenant.CallOkAsync("search_crm", new { text = "MS-001", mode = "keyword" })));
        await tenant.CallOkAsync("restore_record", new { Id = apollo });
        Assert.Equal(["Project__c:Artemis Rollout"], Found(await tenant.CallOkAsync("search_crm", new { text = "artemis", mode = "keyword" })));
        Assert.Equal(["Milestone__c:MS-001"], Found(await tenant.CallOkAsync("search_crm", new { text = "MS-001", mode = "keyword" })));

        // /api/search answers the same.
        using var rest = new ServerRest(server.BaseUri, tenant.ApiKey);
        var (status, body) = await rest.SendAsync(HttpMethod.Get, "api/search?text=artemis&objects=Project__c");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["Project__c:Artemis Rollout"], Found(body));
    }

    [Fact]
    public async Task SearchCrm_CustomObjectRecords_StayInTheirTenant()
    {
        var owner = await server.CreateTenantAsync("Search custom owner");
        var stranger = await server.CreateTenantAsync("Search custom stranger");
        await DefineProjectsAsync(owner);
        await owner.CallOkAsync("create_record", new { @object = "Project__c", fields = new { Name = "Zephyrine Secret" } });

        Assert.Empty(Found(await stranger.CallOkAsync("search_crm", new { text = "Zephyrine", mode = "keyword" })));
        Assert.Contains("cannot be searched",
            Mcp.ErrorText(await stranger.CallAsync("search_crm", new { text = "Zephyrine", objects = new[] { "Project__c" } })));
        // The stranger's own object of the same name is a different object with its own records.
        await DefineProjectsAsync(stranger);
        Assert.Empty(Found(await stranger.CallOkAsync("search_crm", new { text = "Zephyrine", objects = new[] { "Project__c" } })));
        Assert.Equal(["Project__c:Zephyrine Secret"], Found(await owner.CallOkAsync("search_crm", new { text = "Zephyrine" })));
    }
}
