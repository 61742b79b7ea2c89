using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ModelContextProtocol.Client;

namespace RevOps.Server.Tests;

/// <summary>
/// `revops demo-data` writes through the storage layer, so its records must read back over MCP and REST
/// exactly as generated, be searchable (FTS), carry their change-log rows, and stay inside their tenant.
/// One small dataset (two tenants) is generated for the class, then served by a real `revops serve`.
/// </summary>
public sealed class DemoDataTests(DemoDataTests.Dataset data) : IClassFixture<DemoDataTests.Dataset>
{
    [Fact]
    public async Task GetContact_GeneratedContact_ReadsBackTheManifestValuesOverMcpAndRest()
    {
        var large = data.Tenant(0);
        var sample = large.GetProperty("contacts")[0];
        string id = sample.Str("id");
        await using var mcp = await Mcp.ConnectAsync(data.McpUri, large.Str("api_key"));

        var contact = await CallOkAsync(mcp, "get_contact", new { Id = id });
        Assert.Equal(sample.Str("email"), contact.Str("Email"));
        Assert.Equal(sample.Str("first_name"), contact.Str("FirstName"));
        Assert.Equal(sample.Str("last_name"), contact.Str("LastName"));
        Assert.Equal($"{sample.Str("first_name")} {sample.Str("last_name")}", contact.Str("Name"));
        Assert.Equal(sample.Str("account_id"), contact.Str("AccountId"));

        using var rest = await data.GetAsync($"services/data/v60.0/sobjects/Contact/{id}", large.Str("api_key"));
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        var body = JsonDocument.Parse(await rest.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(sample.Str("email"), body.Str("Email"));
        Assert.Equal(id, body.Str("Id"));
    }

    [Fact]
    public async Task SearchContactsAndSearchCrm_GeneratedEmail_FindTheOneContactThroughIndexAndFullText()
    {
        var large = data.Tenant(0);
        var sample = large.GetProperty("contacts")[1];
        await using var mcp = await Mcp.ConnectAsync(data.McpUri, large.Str("api_key"));

        var byEmail = await CallOkAsync(mcp, "search_contacts", new { email = sample.Str("email").ToUpperInvariant() });
        Assert.Equal(1, byEmail.GetProperty("totalSize").GetInt32());
        Assert.Equal(sample.Str("id"), byEmail.GetProperty("records")[0].Str("Id"));

        var found = await CallOkAsync(mcp, "search_crm", new { text = sample.Str("email") });
        Assert.Contains(found.GetProperty("records").EnumerateArray(), r => r.Str("Id") == sample.Str("id") && r.Str("object") == "Contact");

        string prefix = large.GetProperty("name_prefixes")[1].GetString()!;
        var byName = await CallOkAsync(mcp, "search_contacts", new { name = prefix });
        Assert.True(byName.GetProperty("totalSize").GetInt32() >= 1);
        Assert.All(byName.GetProperty("records").EnumerateArray(), r => Assert.StartsWith(prefix, r.Str("Name"), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Counts_GeneratedTenants_MatchTheManifestAndTheDomainRulesWereApplied()
    {
        var large = data.Tenant(0);
        string key = large.Str("api_key");
        var counts = large.GetProperty("counts");
        Assert.Equal(counts.GetProperty("contacts").GetInt32(), await data.CountAsync("SELECT COUNT() FROM Contact", key));
        Assert.Equal(counts.GetProperty("accounts").GetInt32(), await data.CountAsync("SELECT COUNT() FROM Account", key));
        Assert.Equal(counts.GetProperty("opportunities").GetInt32(), await data.CountAsync("SELECT COUNT() FROM Opportunity", key));
        Assert.Equal(counts.GetProperty("tasks").GetInt32(), await data.CountAsync("SELECT COUNT() FROM Task", key));
        // Every contact belongs to an account and every task names a contact of the tenant.
        Assert.Equal(0, await data.CountAsync("SELECT COUNT() FROM Contact WHERE AccountId = null", key));
        Assert.Equal(0, await data.CountAsync("SELECT COUNT() FROM Task WHERE WhoId = null", key));
        // The stage rules ran: won deals are closed at 100%, lost ones at 0%.
        Assert.Equal(0, await data.CountAsync("SELECT COUNT() FROM Opportunity WHERE StageName = 'Closed Won' AND (IsWon = false OR Probability != 100)", key));
        Assert.Equal(0, await data.CountAsync("SELECT COUNT() FROM Opportunity WHERE StageName != 'Closed Won' AND StageName != 'Closed Lost' AND IsClosed = true", key));

        var opportunity = large.GetProperty("opportunities")[0];
        await using var mcp = await Mcp.ConnectAsync(data.McpUri, key);
        var read = await CallOkAsync(mcp, "get_opportunity", new { Id = opportunity.Str("id") });
        Assert.Equal(opportunity.Str("stage_name"), read.Str("StageName"));
        Assert.Equal(opportunity.Str("name"), read.Str("Name"));
    }

    [Fact]
    public async Task History_GeneratedContact_HasItsCreatedChangeInTheChangeLog()
    {
        var large = data.Tenant(0);
        var sample = large.GetProperty("contacts")[0];
        await using var mcp = await Mcp.ConnectAsync(data.McpUri, large.Str("api_key"));

        var history = await CallOkAsync(mcp, "get_record_history", new { Id = sample.Str("id") });
        var version = Assert.Single(history.GetProperty("versions").EnumerateArray());
        Assert.Equal("created", version.Str("operation"));
        Assert.Equal("cli", version.Str("channel"));
        Assert.Equal(sample.Str("email"), version.GetProperty("changes").GetProperty("Email").GetProperty("after").GetString());
    }

    [Fact]
    public async Task OtherTenant_GeneratedRecords_AreNeitherReadableNorFound()
    {
        var large = data.Tenant(0);
        var small = data.Tenant(1);
        var sample = large.GetProperty("contacts")[0];
        await using var mcp = await Mcp.ConnectAsync(data.McpUri, small.Str("api_key"));

        Assert.StartsWith("NOT_FOUND: ", Mcp.ErrorText(await mcp.CallToolAsync("get_contact", Mcp.Arguments(new { Id = sample.Str("id") }), cancellationToken: TestContext.Current.CancellationToken)));
        var byEmail = await CallOkAsync(mcp, "search_contacts", new { email = sample.Str("email") });
        Assert.Equal(0, byEmail.GetProperty("totalSize").GetInt32());
        var found = await CallOkAsync(mcp, "search_crm", new { text = sample.Str("email") });
        Assert.Equal(0, found.GetProperty("totalSize").GetInt32());
        using var rest = await data.GetAsync($"services/data/v60.0/sobjects/Contact/{sample.Str("id")}", small.Str("api_key"));
        Assert.Equal(HttpStatusCode.NotFound, rest.StatusCode);
        // The small tenant sees exactly its own generated contacts.
        Assert.Equal(small.GetProperty("counts").GetProperty("contacts").GetInt32(), await data.CountAsync("SELECT COUNT() FROM Contact", small.Str("api_key")));
    }

    [Fact]
    public async Task DemoData_SameSeedTwice_GeneratesTheSameRecords()
    {
        string again = Path.Combine(Path.GetTempPath(), "revops-demo-again-" + Guid.NewGuid().ToString("N"));
        try
        {
            var output = await Cli.RunAsync([.. Dataset.Arguments, "--data", again]);
            Assert.True(output.ExitCode == 0, output.StdErr);
            var second = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(again, "demo-data.json"), TestContext.Current.CancellationToken)).RootElement;
            for (int t = 0; t < 2; t++)
            {
                var first = data.Tenant(t);
                var other = second.GetProperty("tenants")[t];
                Assert.Equal(first.GetProperty("contacts").GetRawText(), other.GetProperty("contacts").GetRawText());
                Assert.Equal(first.GetProperty("opportunities").GetRawText(), other.GetProperty("opportunities").GetRawText());
                Assert.NotEqual(first.Str("tenant_id"), other.Str("tenant_id"));
            }
        }
        finally
        {
            try { Directory.Delete(again, recursive: true); } catch (IOException) { }
        }
    }

    static async Task<JsonElement> CallOkAsync(McpClient mcp, string tool, object arguments)
    {
        var result = await mcp.CallToolAsync(tool, Mcp.Arguments(arguments), cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.IsError != true, $"{tool} failed: {Mcp.Text(result)}");
        return Mcp.Structured(result);
    }

    /// <summary>Two tenants generated by `revops demo-data` (seed 7) and a `revops serve` on them.</summary>
    public sealed class Dataset : IAsyncLifetime
    {
        public static readonly string[] Arguments = ["demo-data", "--seed", "7", "--tenants", "2", "--large", "6,40,12,30", "--small", "3,10,4,8", "--batch", "16"];
        readonly string _directory = Path.Combine(Path.GetTempPath(), "revops-demo-" + Guid.NewGuid().ToString("N"));
        readonly HttpClient _http = new();
        ServeProcess? _server;
        JsonElement _manifest;

        public Uri McpUri => new(_server!.BaseUri, "mcp");

        public JsonElement Tenant(int index) => _manifest.GetProperty("tenants")[index];

        public async ValueTask InitializeAsync()
        {
            var output = await Cli.RunAsync([.. Arguments, "--data", _directory]);
            Assert.True(output.ExitCode == 0, $"demo-data failed: {output.StdErr}");
            Assert.Equal(Path.Combine(_directory, "demo-data.json"), output.StdOut.Trim());
            _manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "demo-data.json"), TestContext.Current.CancellationToken)).RootElement.Clone();
            _server = await ServeProcess.StartAsync(_directory, ServeProcess.FreePort(), new Dictionary<string, string>());
        }

        public async Task<HttpResponseMessage> GetAsync(string path, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server!.BaseUri, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return await _http.SendAsync(request, TestContext.Current.CancellationToken);
        }

        public async Task<int> CountAsync(string soql, string key)
        {
            using var response = await GetAsync("services/data/v60.0/query?q=" + Uri.EscapeDataString(soql), key);
            string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{soql}: {text}");
            return JsonDocument.Parse(text).RootElement.GetProperty("totalSize").GetInt32();
        }

        public async ValueTask DisposeAsync()
        {
            if (_server is not null) await _server.DisposeAsync();
            _http.Dispose();
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        }
    }
}
