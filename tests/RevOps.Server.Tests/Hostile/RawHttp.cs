using System.Net.Http.Headers;
using System.Text;

namespace RevOps.Server.Tests.Hostile;

/// <summary>What came back for one raw request: the status and the body as text.</summary>
public sealed record RawResponse(int Status, string Body)
{
    public bool IsServerError => Status >= 500;
}

/// <summary>
/// Sends requests exactly as written (bytes, paths and headers unnormalised), so hostile inputs
/// reach the server as an attacker would send them rather than as HttpClient would tidy them.
/// </summary>
public sealed class RawHttp(CrmServerFixture server)
{
    static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>An absolute URI for a path and query that keeps dot segments and escapes as given.</summary>
    public Uri Address(string pathAndQuery) =>
        new(server.BaseUri.GetLeftPart(UriPartial.Authority) + (pathAndQuery.StartsWith('/') ? pathAndQuery : "/" + pathAndQuery), in Verbatim);

    /// <summary>One JSON-RPC message (or anything else) POSTed to /mcp; plain JSON comes back.</summary>
    public Task<RawResponse> McpAsync(string? bearer, string body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/mcp", bearer, Encoding.UTF8.GetBytes(body), ct);

    /// <summary>tools/list with every callable tool, the ones the default list leaves out included: what the suites probe.</summary>
    public Task<RawResponse> ListEveryToolAsync(string bearer, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/mcp?toolsets=all", bearer, Encoding.UTF8.GetBytes(JsonRpc.Request("tools/list", new System.Text.Json.Nodes.JsonObject())), ct);

    public Task<RawResponse> SendAsync(HttpMethod method, string pathAndQuery, string? bearer, string? body, CancellationToken ct) =>
        SendAsync(method, pathAndQuery, bearer, body is null ? null : Encoding.UTF8.GetBytes(body), ct);

    public async Task<RawResponse> SendAsync(HttpMethod method, string pathAndQuery, string? bearer, byte[]? body, CancellationToken ct,
        Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(method, Address(pathAndQuery));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        if (bearer is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        headers?.Invoke(request.Headers);
        using var response = await server.Http.SendAsync(request, ct);
        return new RawResponse((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }
}
