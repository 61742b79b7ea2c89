using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>REST calls with a tenant's API key against a <see cref="ServeProcess"/>: status and JSON body.</summary>
public sealed class ServerRest(Uri baseUri, string apiKey) : IDisposable
{
    readonly HttpClient _http = new() { BaseAddress = baseUri };

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>POST sobjects/{type}: the new record's Id (asserts 201).</summary>
    public async Task<string> CreateAsync(string type, object fields)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, $"services/data/v60.0/sobjects/{type}", fields);
        Assert.True(status == HttpStatusCode.Created, $"create {type}: {(int)status} {body}");
        return body.Str("id");
    }

    public async Task<JsonElement> GetAsync(string type, string id)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"services/data/v60.0/sobjects/{type}/{id}");
        Assert.True(status == HttpStatusCode.OK, $"get {type} {id}: {(int)status} {body}");
        return body;
    }

    /// <summary>GET /api/changes?since=…: the seq of every change after <paramref name="since"/>, oldest first (one page).</summary>
    public async Task<List<long>> ChangeSeqsAsync(long since)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/changes?since={since}&limit=1000");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("seq").GetInt64()).ToList();
    }

    public void Dispose() => _http.Dispose();
}
