using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;

namespace RevOps.Server.Tests.AgentTasks;

/// <summary>
/// An agent's MCP session for one task: every call goes through the official client, and the
/// session counts the calls and the bytes of what came back, the cost a model pays in tokens.
/// </summary>
public sealed class AgentSession(McpClient client) : IAsyncDisposable
{
    public int Calls { get; private set; }
    public long ResponseBytes { get; private set; }

    /// <summary>The whole result as the SDK serializes it: text content, structuredContent and flags.</summary>
    public long WireBytes { get; private set; }

    public async Task<JsonElement> CallAsync(string tool, object? arguments = null)
    {
        var result = await client.CallToolAsync(tool, Mcp.Arguments(arguments), cancellationToken: TestContext.Current.CancellationToken);
        Calls++;
        ResponseBytes += result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Sum(t => (long)Encoding.UTF8.GetByteCount(t.Text));
        WireBytes += JsonSerializer.SerializeToUtf8Bytes(result, Mcp.WireOptions).LongLength;
        Assert.True(result.IsError != true, $"{tool} failed: {Mcp.Text(result)}");
        return Mcp.Structured(result);
    }

    /// <summary>A call the agent gets wrong on purpose, as agents do: it must fail, and its error text is what the agent reads next.</summary>
    public async Task<string> CallFailingAsync(string tool, object? arguments = null)
    {
        var result = await client.CallToolAsync(tool, Mcp.Arguments(arguments), cancellationToken: TestContext.Current.CancellationToken);
        Calls++;
        ResponseBytes += result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Sum(t => (long)Encoding.UTF8.GetByteCount(t.Text));
        WireBytes += JsonSerializer.SerializeToUtf8Bytes(result, Mcp.WireOptions).LongLength;
        Assert.True(result.IsError == true, $"{tool} was expected to fail and answered: {Mcp.Text(result)}");
        return Mcp.Text(result);
    }

    /// <summary>A fresh tenant for one task (set up through the tenant, uncounted) and the agent's session on it.</summary>
    public static async Task<(TestTenant Tenant, AgentSession Agent)> StartAsync(CrmServerFixture server, string name)
    {
        var tenant = await server.CreateTenantAsync(name);
        return (tenant, new AgentSession(await tenant.ConnectMcpAsync()));
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
