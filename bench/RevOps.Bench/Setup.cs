using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RevOps.Bench;

/// <summary>Unmeasured preparation: a tenant and its API key, then the seeded contacts.</summary>
public static class Setup
{
    public static async Task<(string TenantId, string ApiKey)> CreateTenantAsync(HttpClient http, ServerProcess server, CancellationToken ct, string name = "Bench", string tier = "free")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, "/tenants"))
        {
            Content = new StringContent("{\"name\":\"" + name + "\",\"subscription_tier\":\"" + tier + "\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
        using var response = await http.SendAsync(request, ct);
        string body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"POST /tenants answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("tenant_id").GetString()!, json.RootElement.GetProperty("api_key").GetString()!);
    }

    /// <summary>Creates `count` contacts through MCP create_contact (a few at a time) and returns their Ids in creation order.</summary>
    public static async Task<string[]> SeedContactsAsync(HttpClient http, Uri mcp, string authorization, int count, int parallelism, CancellationToken ct)
    {
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (i, token) =>
        {
            string arguments = JsonSerializer.Serialize(new SeedContact($"Seed{i % 97}", $"Contact{i:D5}", $"seed{i:D5}@bench.example", "Seeded"), ToolArgumentsJson.Default.SeedContact);
            string body = $$$"""{"jsonrpc":"2.0","id":{{{i + 1}}},"method":"tools/call","params":{"name":"create_contact","arguments":{{{arguments}}}}}""";
            var result = await CallToolAsync(http, mcp, authorization, body, token);
            if (!result.TryGetProperty("structuredContent", out var structured) || !structured.TryGetProperty("Id", out var id)
                || id.GetString() is not { Length: 18 } value || !value.StartsWith("003", StringComparison.Ordinal))
                throw new InvalidOperationException($"create_contact did not return a contact Id: {result}");
            ids[i] = value;
        });
        return ids;
    }

    /// <summary>POSTs one JSON-RPC request as an SDK client would (SSE accepted) and returns its `result`.</summary>
    static async Task<JsonElement> CallToolAsync(HttpClient http, Uri mcp, string authorization, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, mcp) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        using var response = await http.SendAsync(request, ct);
        string text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"POST /mcp answered {(int)response.StatusCode}: {text}");
        string json = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? LastSseData(text) : text;
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("result", out var result))
            throw new InvalidOperationException($"JSON-RPC error: {json}");
        if (result.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True)
            throw new InvalidOperationException($"Tool error: {json}");
        return result.Clone();
    }

    static string LastSseData(string stream)
    {
        string? last = null;
        foreach (string raw in stream.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("data:", StringComparison.Ordinal)) last = line[5..].TrimStart(' ');
        }
        return last ?? throw new InvalidOperationException($"No data line in the SSE answer: {stream}");
    }
}

public sealed record SeedContact(string FirstName, string LastName, string Email, string Title);
