using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>Plain HTTP calls with a bearer token (and an optional request id) that return status, body and headers.</summary>
public static class ApiClient
{
    public sealed record Reply(HttpStatusCode Status, JsonElement Body, string Text, HttpResponseHeaders Headers);

    public static async Task<Reply> SendAsync(CrmServerFixture server, HttpMethod method, string path, string? bearer, string? json = null, string? requestId = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.BaseUri, path.TrimStart('/')));
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (requestId is not null) request.Headers.Add("X-Request-ID", requestId);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var body = text.Length > 0 && (text[0] == '{' || text[0] == '[') ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return new Reply(response.StatusCode, body, text, response.Headers);
    }

    /// <summary>An /api error body as "CODE: message".</summary>
    public static string Error(this Reply reply) => $"{reply.Body.Str("error")}: {reply.Body.Str("message")}";

    public static Task<Reply> GetAsync(CrmServerFixture server, string path, string? bearer, string? requestId = null) =>
        SendAsync(server, HttpMethod.Get, path, bearer, requestId: requestId);

    /// <summary>Polls GET /api/usage (which is not itself metered) until the flushed total reaches <paramref name="requests"/>.</summary>
    public static async Task<JsonElement> UsageOnceFlushedAsync(CrmServerFixture server, string bearer, long requests, string query = "")
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var reply = await GetAsync(server, "/api/usage" + query, bearer);
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            long seen = reply.Body.GetProperty("totals").GetProperty("requests").GetInt64();
            if (seen == requests) return reply.Body;
            Assert.True(seen < requests && DateTime.UtcNow < deadline, $"expected {requests} requests in usage, saw {seen}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
