using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>The live feed filtered on the server: the page's list and the console's change stream carry only the object and user asked for.</summary>
public sealed class ConsoleFeedTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The first <paramref name="count"/> changes the console's stream sends for <paramref name="query"/>, as (object, record id).</summary>
    async Task<List<(string Object, string Id)>> StreamAsync(ConsoleClient client, string query, int count)
    {
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = client.Cookies }) { BaseAddress = server.BaseUri };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        using var response = await http.GetAsync("console/changes/stream?" + query, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var seen = new List<(string, string)>();
        while (seen.Count < count && await reader.ReadLineAsync(timeout.Token) is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                using var change = JsonDocument.Parse(line[6..]);
                seen.Add((change.RootElement.Str("object"), change.RootElement.Str("recordId")));
            }
        return seen;
    }

    [Fact]
    public async Task Feed_FilteredByObjectAndUser_OnTheServer_InThePageAndTheStream()
    {
        var tenant = await server.CreateTenantAsync("Console feed filters");
        await ConsoleClient.SetPasswordAsync(server, tenant);
        using var client = await ConsoleClient.SignedInAsync(server, tenant.Username);
        long since = long.Parse(Regex.Match((await client.GetAsync("/console/feed")).Html, "data-since=\"(\\d+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        string contact = (await tenant.CallOkAsync("create_contact", new { LastName = "Streamed" })).Str("Id");
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Streamed Inc" })).Str("Id");
        string second = (await tenant.CallOkAsync("create_contact", new { LastName = "Streamed again" })).Str("Id");
        string actor = (await ApiClient.GetAsync(server, $"/api/users/{tenant.UserId}", tenant.ApiKey)).Body.Str("Name");

        Assert.Equal([("Account", account)], await StreamAsync(client, $"since={since}&object=Account", 1));
        Assert.Equal([("Contact", contact), ("Contact", second)], await StreamAsync(client, $"since={since}&object=contact&user={Uri.EscapeDataString(actor[..3].ToLowerInvariant())}", 2));
        Assert.Equal([("Contact", contact), ("Account", account)], await StreamAsync(client, $"since={since}", 2));

        var page = await client.GetAsync("/console/feed?object=Account");
        Assert.Contains($"/console/r/{account}", page.Html);
        Assert.DoesNotContain($"/console/r/{contact}", page.Html);
        Assert.Contains($"data-stream=\"/console/changes/stream?since=", page.Html);
        Assert.Contains("&amp;object=Account\"", page.Html);
        Assert.Contains("<option selected>Account</option>", page.Html);
        var nobody = await client.GetAsync("/console/feed?user=nobody-at-all");
        Assert.DoesNotContain("/console/r/", nobody.Html);
    }
}
