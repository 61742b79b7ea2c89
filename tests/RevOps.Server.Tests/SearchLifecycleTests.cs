namespace RevOps.Server.Tests;

/// <summary>search_crm and pipeline_summary follow records through the MCP tools: leads, conversion, delete and restore.</summary>
public sealed class SearchLifecycleTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static IEnumerable<string> Ids(System.Text.Json.JsonElement page) => page.GetProperty("records").EnumerateArray().Select(r => r.Str("Id"));

    [Fact]
    public async Task SearchCrm_FindsLeadsByCompany_HidesConvertedAndDeleted_ShowsRestored()
    {
        var tenant = await server.CreateTenantAsync("Search lifecycle");
        var lead = await tenant.CallOkAsync("create_record", new { @object = "Lead", fields = new { FirstName = "Vera", LastName = "Quist", Company = "Zephyr Dynamics", Email = "vera@zephyr.test", Phone = "+1 (206) 555-0142" } });
        string leadId = lead.Str("Id");

        var byCompany = await tenant.CallOkAsync("search_crm", new { text = "zephyr" });
        var hit = Assert.Single(byCompany.GetProperty("records").EnumerateArray());
        Assert.Equal("Lead", hit.Str("object"));
        Assert.Equal(leadId, hit.Str("Id"));
        Assert.Equal("Vera Quist", hit.Str("Name"));
        Assert.Equal(leadId, Assert.Single(Ids(await tenant.CallOkAsync("search_crm", new { text = "2065550142" }))));
        Assert.Equal(leadId, Assert.Single(Ids(await tenant.CallOkAsync("search_crm", new { text = "vera@zephyr.test", objects = new[] { "Lead" } }))));

        var converted = await tenant.CallOkAsync("convert_lead", new { LeadId = leadId });
        var afterConversion = Ids(await tenant.CallOkAsync("search_crm", new { text = "zephyr" })).ToHashSet();
        Assert.DoesNotContain(leadId, afterConversion);
        Assert.Contains(converted.Str("accountId"), afterConversion);
        Assert.Contains(converted.Str("contactId"), afterConversion);
        Assert.Contains(converted.Str("opportunityId"), afterConversion);

        await tenant.CallOkAsync("delete_record", new { Id = converted.Str("accountId") });
        Assert.Equal(0, (await tenant.CallOkAsync("search_crm", new { text = "vera" })).GetProperty("totalSize").GetInt32());
        await tenant.CallOkAsync("restore_record", new { Id = converted.Str("accountId") });
        Assert.Contains(converted.Str("contactId"), Ids(await tenant.CallOkAsync("search_crm", new { text = "vera" })));
    }

    [Fact]
    public async Task PipelineSummary_LeavesOutDeletedOpportunities_UntilRestored()
    {
        var tenant = await server.CreateTenantAsync("Pipeline lifecycle");
        var account = await tenant.CallOkAsync("create_account", new { Name = "Umbrella" });
        await tenant.CallOkAsync("create_opportunity", new { Name = "Kept", StageName = "Prospecting", CloseDate = "2030-05-15", Amount = 1000, AccountId = account.Str("Id") });
        var doomed = await tenant.CallOkAsync("create_opportunity", new { Name = "Doomed", StageName = "Prospecting", CloseDate = "2030-05-20", Amount = 4000 });

        async Task<(int Count, double Amount)> OpenAsync()
        {
            var summary = await tenant.CallOkAsync("pipeline_summary", new { from = "2030-04-01", to = "2030-06-30" });
            var open = summary.GetProperty("open");
            return (open.GetProperty("count").GetInt32(), open.GetProperty("amount").GetDouble());
        }

        Assert.Equal((2, 5000), await OpenAsync());
        await tenant.CallOkAsync("delete_record", new { Id = doomed.Str("Id") });
        Assert.Equal((1, 1000), await OpenAsync());
        await tenant.CallOkAsync("delete_record", new { Id = account.Str("Id") });
        Assert.Equal((0, 0), await OpenAsync());
        await tenant.CallOkAsync("restore_record", new { Id = account.Str("Id") });
        await tenant.CallOkAsync("restore_record", new { Id = doomed.Str("Id") });
        Assert.Equal((2, 5000), await OpenAsync());
    }

    [Fact]
    public async Task SearchCrm_PagesWithNextCursor_ThroughEveryMatchOnce()
    {
        var tenant = await server.CreateTenantAsync("Search paging");
        for (int i = 0; i < 7; i++) await tenant.CallOkAsync("create_contact", new { FirstName = $"Quill{i}", LastName = "Pagewright" });

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await tenant.CallOkAsync("search_crm", new { text = "pagewright", limit = 3, cursor });
            Assert.Equal(7, page.GetProperty("totalSize").GetInt32());
            seen.AddRange(Ids(page));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
            Assert.Equal(cursor is not null, page.GetProperty("hasMore").GetBoolean());
        }
        while (cursor is not null);
        Assert.Equal(7, seen.Count);
        Assert.Equal(7, seen.Distinct().Count());

        var first = await tenant.CallOkAsync("search_crm", new { text = "pagewright", limit = 3 });
        Assert.StartsWith("INVALID_ARGUMENT: This cursor belongs to a different search.",
            Mcp.ErrorText(await tenant.CallAsync("search_crm", new { text = "quill0", limit = 3, cursor = first.Str("nextCursor") })));
    }
}
