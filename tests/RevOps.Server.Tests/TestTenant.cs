using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace RevOps.Server.Tests;

/// <summary>A tenant created through POST /tenants, with its first API key and the user that key acts as (its first user, an admin).</summary>
public sealed class TestTenant(CrmServerFixture server, string tenantId, string apiKey, string keyId, string userId, string username)
{
    public string TenantId { get; } = tenantId;
    public string ApiKey { get; } = apiKey;
    public string KeyId { get; } = keyId;
    /// <summary>The User Id the first key acts as: CreatedById, OwnerId and the change log's actor of its writes.</summary>
    public string UserId { get; } = userId;
    public string Username { get; } = username;

    public Task<McpClient> ConnectMcpAsync(string? key = null) => Mcp.ConnectAsync(server.McpUri, key ?? ApiKey);

    /// <summary>Calls a tool over a fresh MCP session of the official C# client.</summary>
    public async Task<CallToolResult> CallAsync(string tool, object? arguments = null)
    {
        await using var client = await ConnectMcpAsync();
        return await client.CallToolAsync(tool, Mcp.Arguments(arguments), cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>Calls a tool that must succeed and returns its structured content.</summary>
    public async Task<JsonElement> CallOkAsync(string tool, object? arguments = null)
    {
        var result = await CallAsync(tool, arguments);
        Assert.True(result.IsError != true, $"{tool} failed: {Mcp.Text(result)}");
        return Mcp.Structured(result);
    }
}

public static class Mcp
{
    /// <param name="options">The client's options, e.g. handlers that answer the server's elicitation and sampling.</param>
    public static async Task<McpClient> ConnectAsync(Uri endpoint, string apiKey, McpClientOptions? options = null) =>
        await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {apiKey}" },
        }), options, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>The SDK's JSON options with the relaxed encoder: how the server writes messages on the wire (see RelaxedSseStream).</summary>
    public static readonly JsonSerializerOptions WireOptions = new(ModelContextProtocol.McpJsonUtilities.DefaultOptions)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IReadOnlyDictionary<string, object?> Arguments(object? arguments) => arguments switch
    {
        null => new Dictionary<string, object?>(),
        IReadOnlyDictionary<string, object?> d => d,
        _ => JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!,
    };

    public static string Text(CallToolResult result) => Assert.Single(result.Content.OfType<TextContentBlock>()).Text;

    /// <summary>The structured content, after checking the text content carries the same JSON.</summary>
    public static JsonElement Structured(CallToolResult result)
    {
        var structured = Assert.NotNull(result.StructuredContent);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(structured.GetRawText()), System.Text.Json.Nodes.JsonNode.Parse(Text(result))),
            "text content and structuredContent differ");
        return structured.Clone();
    }

    public static string ErrorText(CallToolResult result)
    {
        Assert.True(result.IsError, $"expected an error, got {Text(result)}");
        return Text(result);
    }

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
