using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RevOps.Server.Tests;

/// <summary>docs/forecasting.md's examples run as written: every ```json forecast block as the tool's arguments, every ```sh forecast curl as a GET.</summary>
public sealed partial class ForecastDocsTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task EveryExampleInTheDoc_Answers()
    {
        var tenant = await server.CreateTenantAsync("Forecast docs");
        await tenant.CallOkAsync("create_opportunity", new { Name = "Big maybe", StageName = "Value Proposition", CloseDate = "2026-12-31", Amount = 80000 });
        string doc = await File.ReadAllTextAsync(DocPath(), TestContext.Current.CancellationToken);

        var calls = ToolBlock().Matches(doc).Select(m => m.Groups[1].Value).ToList();
        Assert.True(calls.Count >= 3, $"found {calls.Count} tool examples");
        foreach (string json in calls)
        {
            var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(json);
            var answer = await tenant.CallOkAsync("forecast", args);
            Assert.Contains(answer.Str("model"), new[] { "model", "stage-probabilities" });
        }

        var urls = CurlBlock().Matches(doc).Select(m => m.Groups[1].Value).ToList();
        Assert.True(urls.Count >= 2, $"found {urls.Count} curl examples");
        foreach (string url in urls)
        {
            var reply = await ApiClient.GetAsync(server, new Uri(url).PathAndQuery, tenant.ApiKey);
            Assert.True(reply.Status == HttpStatusCode.OK, url + "\n" + reply.Text);
            Assert.True(reply.Body.TryGetProperty("expected", out _), reply.Text);
        }
    }

    static string DocPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "docs", "forecasting.md"))) return Path.Combine(dir.FullName, "docs", "forecasting.md");
        throw new FileNotFoundException("docs/forecasting.md not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("```json forecast\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ToolBlock();

    [GeneratedRegex("```sh forecast\\ncurl -s \"(http[^\"]+)\"", RegexOptions.Singleline)]
    private static partial Regex CurlBlock();
}
