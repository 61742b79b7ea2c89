using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;

namespace RevOps.Server.Tests;

/// <summary>The `revops` executable against the same database file the running server uses.</summary>
public sealed class CliAndKeysTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task TenantCreate_Cli_PrintsKeyThatWorksOnRunningServer()
    {
        var output = await Cli.RunAsync("tenant", "create", "--name", "Cli Co", "--tier", "enterprise", "--data", server.DataDirectory);

        Assert.Equal(0, output.ExitCode);
        using var json = JsonDocument.Parse(output.StdOut);
        string key = json.RootElement.GetProperty("api_key").GetString()!;
        Assert.Matches("^revops_live_[0-9A-Za-z]{40}$", key);
        Assert.True(Guid.TryParse(json.RootElement.GetProperty("tenant_id").GetString(), out _));
        Assert.Equal("Store your API key securely - it will not be shown again.", json.RootElement.GetProperty("message").GetString());
        Assert.EndsWith("/mcp", json.RootElement.GetProperty("mcp_endpoint").GetString());

        await using var client = await Mcp.ConnectAsync(server.McpUri, key);
        var created = await client.CallToolAsync("create_account", new Dictionary<string, object?> { ["Name"] = "Made via CLI key" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("Made via CLI key", Mcp.Structured(created).Str("Name"));
    }

    /// <summary>The README's browser quick start: one command makes a tenant whose admin can sign in to the console at once.</summary>
    [Fact]
    public async Task TenantCreate_WithAdminPasswordFromStdin_SignsInToTheConsole_AndABadPasswordCreatesNothing()
    {
        string email = $"sarah.{Guid.NewGuid():N}@quickstart.example";
        int tenantsBefore = (await Cli.RunAsync("tenant", "list", "--data", server.DataDirectory)).StdOut.Split('\n').Length;

        var tooShort = await Cli.RunWithInputAsync("short\n", "tenant", "create", "--name", "Quick Start Co", "--admin-email", email, "--admin-name", "Sarah Quick",
            "--admin-password-stdin", "--data", server.DataDirectory);
        Assert.NotEqual(0, tooShort.ExitCode);
        Assert.Contains("A password has 8 to 256 characters; 5 were sent.", tooShort.StdErr);
        var noEmail = await Cli.RunWithInputAsync("correct horse battery staple\n", "tenant", "create", "--name", "Quick Start Co", "--admin-password-stdin", "--data", server.DataDirectory);
        Assert.NotEqual(0, noEmail.ExitCode);
        Assert.Contains("--admin-password-stdin needs --admin-email", noEmail.StdErr);
        Assert.Equal(tenantsBefore, (await Cli.RunAsync("tenant", "list", "--data", server.DataDirectory)).StdOut.Split('\n').Length);

        var created = await Cli.RunWithInputAsync($"{WebConsole.ConsoleClient.Password}\n", "tenant", "create", "--name", "Quick Start Co", "--admin-email", email,
            "--admin-name", "Sarah Quick", "--admin-password-stdin", "--data", server.DataDirectory);
        Assert.True(created.ExitCode == 0, created.StdErr);
        using var json = JsonDocument.Parse(created.StdOut);
        Assert.Equal(email, json.RootElement.GetProperty("username").GetString());

        await using (var client = await Mcp.ConnectAsync(server.McpUri, json.RootElement.GetProperty("api_key").GetString()!))
            await client.CallToolAsync("create_opportunity", new Dictionary<string, object?> { ["Name"] = "First deal", ["StageName"] = "Prospecting", ["CloseDate"] = "2030-01-31", ["Amount"] = 1000 },
                cancellationToken: TestContext.Current.CancellationToken);

        using var console = await WebConsole.ConsoleClient.SignedInAsync(server, email);
        var board = await console.GetAsync("/console/board");
        Assert.Equal(HttpStatusCode.OK, board.Status);
        Assert.Contains("Sarah Quick", board.Html);
        Assert.Contains(">Opportunities</a>", board.Html);
        Assert.Contains("First deal", board.Html);
        Assert.Contains("<span class=\"count\">1 deal</span>", board.Html);
        Assert.Contains("<span class=\"count\">0 deals</span>", board.Html);
    }

    [Fact]
    public async Task KeyRevoke_Cli_KeyStopsWorkingWithinASecondOtherKeysKeepWorking()
    {
        var tenant = await server.CreateTenantAsync("Revocation");
        var second = await Cli.RunAsync("key", "create", "--tenant", tenant.TenantId, "--scope", "write", "--data", server.DataDirectory);
        Assert.Equal(0, second.ExitCode);
        using var secondJson = JsonDocument.Parse(second.StdOut);
        string secondKey = secondJson.RootElement.GetProperty("api_key").GetString()!;
        Assert.Equal("write", secondJson.RootElement.GetProperty("scope").GetString());
        Assert.Equal(HttpStatusCode.OK, await ListToolsStatusAsync(tenant.ApiKey));
        Assert.Equal(HttpStatusCode.OK, await ListToolsStatusAsync(secondKey));

        var revoke = await Cli.RunAsync("key", "revoke", tenant.KeyId, "--data", server.DataDirectory);
        Assert.Equal(0, revoke.ExitCode);
        Assert.Equal($"Revoked key {tenant.KeyId} of tenant {tenant.TenantId}.", revoke.StdOut.Trim());

        // The CLI is another process: the server sees the revocation when its cached copy of the key expires.
        var revokedAt = System.Diagnostics.Stopwatch.StartNew();
        var status = await ListToolsStatusAsync(tenant.ApiKey);
        while (status != HttpStatusCode.Unauthorized && revokedAt.Elapsed < TimeSpan.FromSeconds(3))
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            status = await ListToolsStatusAsync(tenant.ApiKey);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(revokedAt.Elapsed < Domain.Tenancy.ApiKeyCache.Lifetime + TimeSpan.FromSeconds(1), $"the revoked key worked for {revokedAt.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, await ListToolsStatusAsync(secondKey));

        var list = await Cli.RunAsync("key", "list", "--tenant", tenant.TenantId, "--data", server.DataDirectory);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(tenant.KeyId, list.StdOut);
        Assert.Contains("revoked", list.StdOut);
        Assert.Contains("active", list.StdOut);
        Assert.DoesNotContain(secondKey, list.StdOut);
    }

    [Fact]
    public async Task ReadScopedKey_SeesOnlyReadToolsAndCannotWrite()
    {
        var tenant = await server.CreateTenantAsync("Read only");
        string contactId = (await tenant.CallOkAsync("create_contact", new { LastName = "Visible" })).Str("Id");
        var created = await Cli.RunAsync("key", "create", "--tenant", tenant.TenantId, "--scope", "read", "--data", server.DataDirectory);
        using var json = JsonDocument.Parse(created.StdOut);
        await using var reader = await tenant.ConnectMcpAsync(json.RootElement.GetProperty("api_key").GetString());

        var tools = await reader.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(ToolNames.Sorted(ToolNames.Read), ToolNames.Sorted(tools.Select(t => t.Name)));
        var read = await reader.CallToolAsync("get_contact", new Dictionary<string, object?> { ["Id"] = contactId }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("Visible", Mcp.Structured(read).Str("LastName"));
        var write = await reader.CallToolAsync("create_contact", new Dictionary<string, object?> { ["LastName"] = "Sneaky" }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("INSUFFICIENT_ACCESS: create_contact changes data and this API key is read-only. Use a key with the write scope.", Mcp.ErrorText(write));
        Assert.Equal(1, (await tenant.CallOkAsync("search_contacts")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Mcp_StdioBridge_ServesTheRemoteServersToolsWithTheKey()
    {
        var tenant = await server.CreateTenantAsync("Bridge");
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [Cli.DllPath, "mcp", "--remote", server.McpUri.ToString(), "--key", tenant.ApiKey],
            Name = "revops-bridge",
        });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: TestContext.Current.CancellationToken);
        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(ToolNames.Sorted(ToolNames.All), ToolNames.Sorted(tools.Select(t => t.Name)));
        var created = await client.CallToolAsync("create_contact", new Dictionary<string, object?> { ["LastName"] = "Bridged", ["Email"] = "bridged@desk.test" },
            cancellationToken: TestContext.Current.CancellationToken);
        string id = Mcp.Structured(created).Str("Id");
        // The write went to the remote server, under the key's tenant and the user the key acts as, and the log names the key.
        var read = await tenant.CallOkAsync("get_contact", new { Id = id, fields = new[] { "Email", "CreatedById", "OwnerId" } });
        Assert.Equal("bridged@desk.test", read.Str("Email"));
        Assert.Equal((tenant.UserId, tenant.UserId), (read.Str("CreatedById"), read.Str("OwnerId")));
        var created1 = Assert.Single((await tenant.CallOkAsync("get_record_history", new { Id = id })).GetProperty("versions").EnumerateArray());
        Assert.Equal((tenant.UserId, tenant.KeyId), (created1.GetProperty("actor").Str("Id"), created1.Str("keyId")));
        var bad = await client.CallToolAsync("create_contact", new Dictionary<string, object?> { ["Email"] = "no-last-name@desk.test" },
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("REQUIRED_FIELD_MISSING: Contact.LastName is required. Send a value for 'LastName'.", Mcp.ErrorText(bad));

        var missingKey = await Cli.RunAsync("mcp", "--remote", server.McpUri.ToString());
        Assert.NotEqual(0, missingKey.ExitCode);
        Assert.Contains("--remote needs an API key", missingKey.StdErr);
    }

    [Fact]
    public async Task Mcp_Stdio_ServesToolsAgainstLocalDatabase()
    {
        var tenant = await server.CreateTenantAsync("Desktop");
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [Cli.DllPath, "mcp", "--tenant", tenant.TenantId, "--data", server.DataDirectory],
            Name = "revops-stdio",
            EnvironmentVariables = server.CliEnvironment,
        });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: TestContext.Current.CancellationToken);

        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(ToolNames.All.Length, tools.Count);
        var created = await client.CallToolAsync("create_contact", new Dictionary<string, object?> { ["FirstName"] = "Desk", ["LastName"] = "Top", ["Email"] = "desk@top.test" },
            cancellationToken: TestContext.Current.CancellationToken);
        string id = Mcp.Structured(created).Str("Id");

        // The HTTP server sees the same tenant's record.
        var viaHttp = await tenant.CallOkAsync("get_contact", new { Id = id, fields = new[] { "Email", "CreatedById", "OwnerId" } });
        Assert.Equal("desk@top.test", viaHttp.Str("Email"));
        // stdio has no key: it acts as the org's oldest active admin, here the tenant's first user.
        Assert.Equal((tenant.UserId, tenant.UserId), (viaHttp.Str("CreatedById"), viaHttp.Str("OwnerId")));
        var created1 = Assert.Single((await tenant.CallOkAsync("get_record_history", new { Id = id })).GetProperty("versions").EnumerateArray());
        Assert.Equal((tenant.UserId, "Integration User", JsonValueKind.Null),
            (created1.GetProperty("actor").Str("Id"), created1.GetProperty("actor").Str("Name"), created1.GetProperty("keyId").ValueKind));
    }

    [Fact]
    public async Task Migrate_Cli_ReportsCurrentSchema()
    {
        var output = await Cli.RunAsync("migrate", "--data", server.DataDirectory);
        Assert.Equal(0, output.ExitCode);
        Assert.Matches(@"schema is current \(version \d+\)", output.StdOut);
    }

    async Task<HttpStatusCode> ListToolsStatusAsync(string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
