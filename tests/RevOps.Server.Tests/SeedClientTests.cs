using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>The seed's desktop client: one JSON-RPC message per POST, no Accept header, no initialize, reads a JSON body.</summary>
public sealed class SeedClientTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task Post_WithoutAcceptHeader_GetsPlainJsonResponses()
    {
        var tenant = await server.CreateTenantAsync("Seed client");

        using var list = await PostAsync(tenant.ApiKey, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");
        Assert.Equal(ToolNames.All.Length, list.RootElement.GetProperty("result").GetProperty("tools").GetArrayLength());

        using var created = await PostAsync(tenant.ApiKey, """
            {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create_contact","arguments":{"FirstName":"Sarah","LastName":"Johnson","Email":"sarah@acme.com","Title":"VP of Sales"}}}
            """);
        Assert.Equal(2, created.RootElement.GetProperty("id").GetInt32());
        var text = created.RootElement.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;
        using var contact = JsonDocument.Parse(text);
        string id = contact.RootElement.GetProperty("Id").GetString()!;

        using var read = await PostAsync(tenant.ApiKey, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"get_contact\",\"arguments\":{\"Id\":\"" + id + "\"}}}");
        var structured = read.RootElement.GetProperty("result").GetProperty("structuredContent");
        Assert.Equal("Sarah", structured.GetProperty("FirstName").GetString());
        Assert.Equal("VP of Sales", structured.GetProperty("Title").GetString());
    }

    [Fact]
    public async Task GetToolsAndHealth_AnswerWithoutAuth()
    {
        using var health = await server.Http.GetAsync(new Uri(server.BaseUri, "health"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var tools = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri(server.BaseUri, "tools"), TestContext.Current.CancellationToken));
        var names = tools.RootElement.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal(ToolNames.Sorted(ToolNames.All), ToolNames.Sorted(names!));
        Assert.Contains("update_opportunity_stage", names);
    }

    [Fact]
    public async Task Post_WithUnpairedSurrogateEscape_IsAParseErrorNotAnInternalError_AndWritesNothing()
    {
        var tenant = await server.CreateTenantAsync("Surrogates");
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create_contact","arguments":{"LastName":"a\ud800b"}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(-32700, json.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("unpaired UTF-16 surrogate", json.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(0, (await tenant.CallOkAsync("search_contacts")).GetProperty("totalSize").GetInt32());
    }

    async Task<JsonDocument> PostAsync(string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.McpUri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Accept.Clear();
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
