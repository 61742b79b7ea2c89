using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace RevOps.Server.Tests;

public sealed class WebhookManagementTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    readonly CrmServerFixture _server = fixture.Server;

    [Fact]
    public async Task RestApi_CreateListTestDeliveriesDelete_WithAdminKey()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await _server.CreateTenantAsync("Rest hooks");

        using var created = await SendAsync(tenant.ApiKey, HttpMethod.Post, "api/webhooks", new { url = receiver.Url().ToString(), objects = new[] { "Lead" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var hook = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        string id = hook.Str("id");
        Assert.Matches("^whsec_[0-9A-Za-z]{32}$", hook.Str("secret"));
        Assert.Equal("Store the secret now: it is not shown again. Receivers verify X-RevOps-Signature with it (docs/webhooks.md).", hook.Str("message"));

        using var listed = await SendAsync(tenant.ApiKey, HttpMethod.Get, "api/webhooks");
        var list = await listed.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(1, list.GetProperty("count").GetInt32());
        Assert.Equal((id, receiver.Url().ToString(), """["Lead"]"""), (list.GetProperty("webhooks")[0].Str("id"), list.GetProperty("webhooks")[0].Str("url"), list.GetProperty("webhooks")[0].GetProperty("objects").GetRawText()));
        Assert.False(list.GetProperty("webhooks")[0].TryGetProperty("secret", out _));

        using var tested = await SendAsync(tenant.ApiKey, HttpMethod.Post, $"api/webhooks/{id}/test");
        Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
        var ping = await tested.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(("test", "delivered", 1, 204), (ping.Str("operation"), ping.Str("status"), ping.GetProperty("attempts").GetInt32(), ping.GetProperty("lastStatusCode").GetInt32()));
        var arrived = Assert.Single(receiver.Accepted);
        Assert.Equal((ping.Str("id"), "test", JsonValueKind.Null), (arrived.EventId, arrived.Operation(), arrived.Body.GetProperty("recordId").ValueKind));
        Assert.False(arrived.SignatureValid); // signed with the generated secret, not the receiver's

        using var log = await SendAsync(tenant.ApiKey, HttpMethod.Get, $"api/webhooks/{id}/deliveries?status=delivered");
        var deliveries = await log.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(ping.Str("id"), Assert.Single(deliveries.GetProperty("deliveries").EnumerateArray()).Str("id"));

        using var deleted = await SendAsync(tenant.ApiKey, HttpMethod.Delete, $"api/webhooks/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var again = await SendAsync(tenant.ApiKey, HttpMethod.Delete, $"api/webhooks/{id}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var error = await again.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(("NOT_FOUND", $"no webhook '{id}' in this org. List webhooks to see their ids (wh_…)."), (error.Str("error"), error.Str("message")));
    }

    [Fact]
    public async Task Keys_WithoutAdminScope_AreRefused_AndReadKeysDoNotSeeTheTool()
    {
        var tenant = await _server.CreateTenantAsync("Scoped hooks");
        var writer = await Cli.RunAsync("key", "create", "--tenant", tenant.TenantId, "--scope", "write", "--data", _server.DataDirectory);
        string writeKey = JsonDocument.Parse(writer.StdOut).RootElement.Str("api_key");
        var reader = await Cli.RunAsync("key", "create", "--tenant", tenant.TenantId, "--scope", "read", "--data", _server.DataDirectory);
        string readKey = JsonDocument.Parse(reader.StdOut).RootElement.Str("api_key");

        await using (var mcp = await tenant.ConnectMcpAsync(writeKey))
        {
            var refused = await mcp.CallToolAsync("manage_webhooks", Mcp.Arguments(new { action = "list" }), cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal("INSUFFICIENT_ACCESS: Managing webhooks needs an API key with the admin scope.", Mcp.ErrorText(refused));
        }
        await using (var mcp = await tenant.ConnectMcpAsync(readKey))
        {
            var tools = await mcp.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
            Assert.DoesNotContain("manage_webhooks", tools.Select(t => t.Name));
        }
        using var rest = await SendAsync(writeKey, HttpMethod.Get, "api/webhooks");
        Assert.Equal(HttpStatusCode.Forbidden, rest.StatusCode);
        Assert.Equal("""{"error":"INSUFFICIENT_ACCESS","message":"Managing webhooks needs an API key with the admin scope."}""",
            await rest.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        using var anonymous = await SendAsync(null, HttpMethod.Get, "api/webhooks");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Create_BadArguments_SayWhatToSend()
    {
        var tenant = await _server.CreateTenantAsync("Bad hooks");
        async Task<string> Error(object args) => Mcp.ErrorText(await tenant.CallAsync("manage_webhooks", args));

        Assert.Equal("REQUIRED_FIELD_MISSING: url is required: the https address that receives the events, e.g. https://hooks.example.com/revops.",
            await Error(new { action = "create" }));
        Assert.Equal("INVALID_ARGUMENT: url 'ftp://x.example' is not an absolute http(s) URL. Send one like https://hooks.example.com/revops.",
            await Error(new { action = "create", url = "ftp://x.example" }));
        Assert.Equal("INVALID_ARGUMENT: objects: 'Invoice' is not an object. Send any of: Account, Contact, Lead, Opportunity, Task, Event, User, ContentVersion, ContentDocument, ContentDocumentLink.",
            await Error(new { action = "create", url = "http://127.0.0.1:9/h", objects = new[] { "Invoice" } }));
        Assert.Equal("INVALID_ARGUMENT: operations: 'upserted' is not an operation. Send any of: created, updated, stage_changed, deleted, restored, converted, merged.",
            await Error(new { action = "create", url = "http://127.0.0.1:9/h", operations = new[] { "upserted" } }));
        Assert.Equal("INVALID_ARGUMENT: secret must be 16 to 256 characters; 5 were sent. Leave it out to get a generated one.",
            await Error(new { action = "create", url = "http://127.0.0.1:9/h", secret = "short" }));
        Assert.Equal("REQUIRED_FIELD_MISSING: webhook_id is required, e.g. wh_3kX9… from the list action.", await Error(new { action = "test" }));
        Assert.Equal("INVALID_ARGUMENT: status 'failed' is not a delivery status. Send one of: pending, delivered, dead.",
            await Error(new { action = "deliveries", webhook_id = "wh_x", status = "failed" }));
    }

    [Fact]
    public async Task CliWebhookCommands_CreateListDeliveries_OnTheServersDataDirectory()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await _server.CreateTenantAsync("Cli hooks");
        var created = await Cli.RunAsync("webhook", "create", "--tenant", tenant.TenantId, "--url", receiver.Url().ToString(), "--objects", "Account",
            "--secret", WebhookReceiver.Secret, "--allow-private", "--data", _server.DataDirectory);
        Assert.True(created.ExitCode == 0, created.StdErr);
        var hook = JsonDocument.Parse(created.StdOut).RootElement;
        string id = hook.Str("id");
        Assert.Equal(WebhookReceiver.Secret, hook.Str("secret"));

        var refused = await Cli.RunAsync("webhook", "create", "--tenant", tenant.TenantId, "--url", receiver.Url().ToString(), "--data", _server.DataDirectory);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal($"error: url '{receiver.Url()}' must use https: events carry CRM data. (Plain http is accepted only when the operator runs revops serve --allow-private-webhooks.)\n", refused.StdErr);

        var list = await Cli.RunAsync("webhook", "list", "--tenant", tenant.TenantId, "--data", _server.DataDirectory);
        Assert.Contains(id, list.StdOut);
        Assert.Contains(receiver.Url().ToString(), list.StdOut);

        // The server picks up a webhook the CLI wrote (its next poll) and delivers the tenant's changes to it.
        string account = (await tenant.CallOkAsync("create_account", new { Name = "Cli Hooked" })).Str("Id");
        var arrived = Assert.Single(await receiver.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(30)));
        Assert.Equal((account, "created", true), (arrived.RecordId(), arrived.Operation(), arrived.SignatureValid));

        var deliveries = await Cli.RunAsync("webhook", "deliveries", id, "--tenant", tenant.TenantId, "--data", _server.DataDirectory);
        Assert.Contains(arrived.EventId, deliveries.StdOut);
        Assert.Contains("delivered", deliveries.StdOut);
        var deleted = await Cli.RunAsync("webhook", "delete", id, "--tenant", tenant.TenantId, "--data", _server.DataDirectory);
        Assert.Equal($"Deleted webhook {id}.\n", deleted.StdOut);
    }

    async Task<HttpResponseMessage> SendAsync(string? key, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_server.BaseUri, path));
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await _server.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}

/// <summary>Without --allow-private-webhooks (the default fixture), private and loopback targets are refused at create.</summary>
public sealed class WebhookTargetTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Theory]
    [InlineData("https://127.0.0.1/hook", "127.0.0.1")]
    [InlineData("https://10.20.30.40/hook", "10.20.30.40")]
    [InlineData("https://192.168.1.5/hook", "192.168.1.5")]
    [InlineData("https://172.16.0.1/hook", "172.16.0.1")]
    [InlineData("https://169.254.169.254/latest/meta-data", "169.254.169.254")]
    [InlineData("https://[::1]/hook", "::1")]
    [InlineData("https://[fd12:3456::1]/hook", "fd12:3456::1")]
    [InlineData("https://[fe80::1]/hook", "fe80::1")]
    [InlineData("https://[::ffff:10.0.0.1]/hook", "::ffff:10.0.0.1")]
    public async Task Create_PrivateTarget_RefusedWithoutTheOperatorFlag(string url, string address)
    {
        var tenant = await server.CreateTenantAsync("Ssrf");
        var refused = await tenant.CallAsync("manage_webhooks", new { action = "create", url });
        string host = new Uri(url).DnsSafeHost;
        Assert.Equal($"INVALID_ARGUMENT: url refused: host '{host}' resolves to {address}, a loopback, private, link-local or unique-local address; " +
            "webhooks go only to public addresses unless the operator runs revops serve --allow-private-webhooks.", Mcp.ErrorText(refused));
    }

    [Fact]
    public async Task Create_PlainHttp_RefusedWithoutTheOperatorFlag()
    {
        var tenant = await server.CreateTenantAsync("Plain http");
        var refused = await tenant.CallAsync("manage_webhooks", new { action = "create", url = "http://hooks.example.com/revops" });
        Assert.Equal("INVALID_ARGUMENT: url 'http://hooks.example.com/revops' must use https: events carry CRM data. (Plain http is accepted only when the operator runs revops serve --allow-private-webhooks.)",
            Mcp.ErrorText(refused));
        var listed = await tenant.CallOkAsync("manage_webhooks", new { action = "list" });
        Assert.Equal(0, listed.GetProperty("count").GetInt32());
    }
}
