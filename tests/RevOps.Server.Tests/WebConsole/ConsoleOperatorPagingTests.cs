using System.Net;
using System.Text.RegularExpressions;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>The operator's tenants page pages by 50, oldest first: every tenant on exactly one page; bad page numbers are 400/404.</summary>
public sealed partial class ConsoleOperatorPagingTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task OperatorTenants_PagedByFifty_EachTenantOnExactlyOnePage_BadPagesRefused()
    {
        var created = new List<string>();
        for (int i = 0; i < 53; i++)
        {
            created.Add((await server.CreateTenantAsync($"Paged tenant {i:00}")).TenantId);
            // Creation times are kept to the millisecond and ties go by Id: a pause keeps "oldest first" the order made here.
            await Task.Delay(3, TestContext.Current.CancellationToken);
        }
        using var op = new ConsoleClient(server.BaseUri);
        await op.GetAsync("/console/operator/sign-in");
        Assert.Equal(HttpStatusCode.Redirect, (await op.PostAsync("/console/operator/sign-in", new() { ["token"] = server.AdminToken })).Status);

        var first = await op.GetAsync("/console/operator");
        var total = Regex.Match(first.Html, "(\\d+) tenants · page 1 of (\\d+)");
        Assert.True(total.Success, first.Html);
        int count = int.Parse(total.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        int pages = int.Parse(total.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((count + 49) / 50, pages);
        var seen = new List<string>();
        for (int page = 1; page <= pages; page++)
        {
            var html = (await op.GetAsync($"/console/operator?page={page}")).Html;
            var ids = TenantRow().Matches(html).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(page < pages ? 50 : count - 50 * (pages - 1), ids.Count);
            Assert.Equal(page < pages, html.Contains($"href=\"/console/operator?page={page + 1}\">Next</a>", StringComparison.Ordinal));
            Assert.Equal(page > 1, html.Contains($"href=\"/console/operator?page={page - 1}\">Previous</a>", StringComparison.Ordinal));
            seen.AddRange(ids);
        }
        Assert.Equal(count, seen.Count);
        Assert.Equal(count, seen.Distinct().Count());
        Assert.Superset(seen.ToHashSet(), created.ToHashSet());
        // Oldest first: the tenants made here appear in the order they were made.
        Assert.Equal(created, seen.Where(created.Contains));

        foreach (var (query, status, message) in new[]
        {
            ("page=0", HttpStatusCode.BadRequest, "page &#x27;0&#x27; is not a page number; pages count from 1."),
            ("page=abc", HttpStatusCode.BadRequest, "page &#x27;abc&#x27; is not a page number"),
            ($"page={pages + 1}", HttpStatusCode.NotFound, $"There are {pages} pages of tenants; page {pages + 1} is past the last."),
        })
        {
            var reply = await op.GetAsync($"/console/operator?{query}");
            Assert.True(reply.Status == status, $"{query}: {(int)reply.Status}");
            Assert.Contains(message, reply.Html);
        }
    }

    [GeneratedRegex("<tr data-tenant=\"([^\"]+)\">")]
    private static partial Regex TenantRow();
}
