using System.Threading.Channels;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace RevOps.Server.Tests;

/// <summary>
/// `revops mcp --tenant` (stdio, one session) tells its client when the tenant's tools change: after a field is
/// defined through the session itself, and after one is defined or deleted by another process (the HTTP server here).
/// </summary>
public sealed class StdioToolListChangedTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task SchemaChanges_FromTheSessionOrElsewhere_SendToolsListChanged_AndTheNewListHasTheField()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await server.CreateTenantAsync("Stdio list changed");
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [Cli.DllPath, "mcp", "--tenant", tenant.TenantId, "--data", server.DataDirectory],
            Name = "revops-stdio",
            EnvironmentVariables = server.CliEnvironment,
        });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: ct);
        Assert.True(client.ServerCapabilities.Tools?.ListChanged);
        var notices = Channel.CreateUnbounded<DateTime>();
        await using var handler = client.RegisterNotificationHandler(NotificationMethods.ToolListChangedNotification,
            (_, _) => { notices.Writer.TryWrite(DateTime.UtcNow); return ValueTask.CompletedTask; });

        // Nothing changes: no notice for two ticks.
        await Task.Delay(TimeSpan.FromSeconds(2.5), ct);
        Assert.False(notices.Reader.TryRead(out _));

        // Defined through this very session.
        var defined = await client.CallToolAsync("define_custom_field",
            new Dictionary<string, object?> { ["object"] = "Contact", ["api_name"] = "Tier__c", ["type"] = "Picklist", ["values"] = new[] { "Gold", "Silver" } }, cancellationToken: ct);
        Assert.NotEqual(true, defined.IsError);
        await ReadWithinAsync(notices, TimeSpan.FromSeconds(10), ct);
        var tools = await client.ListToolsAsync(cancellationToken: ct);
        string createContact = tools.Single(t => t.Name == "create_contact").JsonSchema.GetRawText();
        Assert.Contains("\"Tier__c\"", createContact);
        Assert.Contains("\"Gold\"", createContact);

        // Defined by another process on the same database: seen within the schema cache's refresh plus a tick.
        await tenant.CallOkAsync("define_custom_field", new { @object = "Account", api_name = "Region__c", type = "Text" });
        await ReadWithinAsync(notices, TimeSpan.FromSeconds(15), ct);
        tools = await client.ListToolsAsync(cancellationToken: ct);
        Assert.Contains("\"Region__c\"", tools.Single(t => t.Name == "create_account").JsonSchema.GetRawText());
        // One change, one notice.
        await Task.Delay(TimeSpan.FromSeconds(2.5), ct);
        Assert.False(notices.Reader.TryRead(out _));

        // Deleted by another process: the field leaves the list the same way.
        var deleted = await ApiClient.SendAsync(server, HttpMethod.Delete, "/api/custom-fields/Account/Region__c", tenant.ApiKey);
        Assert.Equal(System.Net.HttpStatusCode.OK, deleted.Status);
        await ReadWithinAsync(notices, TimeSpan.FromSeconds(15), ct);
        tools = await client.ListToolsAsync(cancellationToken: ct);
        Assert.DoesNotContain("\"Region__c\"", tools.Single(t => t.Name == "create_account").JsonSchema.GetRawText());
    }

    static async Task ReadWithinAsync(Channel<DateTime> notices, TimeSpan limit, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        try
        {
            await notices.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Assert.Fail($"no notifications/tools/list_changed within {limit.TotalSeconds} s");
        }
    }
}
