using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>Bounded input: bodies over 1 MB get 413, JSON nesting and single strings are capped, SOQL is at most 100,000 characters; nothing is written.</summary>
public sealed class InputLimitTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    async Task<(HttpStatusCode Status, string Body)> PostAsync(TestTenant tenant, string path, HttpContent content, bool mcp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        if (mcp) request.Headers.Accept.ParseAdd("application/json");
        using var response = await server.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    static string CreateContactCall(string lastName) =>
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"create_contact\",\"arguments\":{\"LastName\":" + JsonSerializer.Serialize(lastName) + "}}}";

    async Task<int> ContactsAsync(TestTenant tenant) => (await tenant.CallOkAsync("find_records", new { @object = "Contact", limit = 1 })).GetProperty("totalSize").GetInt32();

    /// <summary>Streams the body without a Content-Length, so only the read itself can notice the size.</summary>
    sealed class ChunkedContent(string text) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();
        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mcp_BodyOver1MB_Is413WithAJsonRpcError_WithOrWithoutContentLength(bool chunked)
    {
        var tenant = await server.CreateTenantAsync("Limit mcp body " + chunked);
        string call = CreateContactCall(new string('x', 1_100_000));
        HttpContent content = chunked ? new ChunkedContent(call) : new StringContent(call, Encoding.UTF8, "application/json");
        if (chunked) content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var (status, body) = await PostAsync(tenant, "mcp", content, mcp: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("at most 1,048,576 bytes", JsonDocument.Parse(body).RootElement.GetProperty("error").Str("message"));
        Assert.Equal(0, await ContactsAsync(tenant));
    }

    [Fact]
    public async Task Mcp_DeepNestingAndHugeStrings_AreParseErrorsThatSayWhich()
    {
        var tenant = await server.CreateTenantAsync("Limit mcp shape");
        string deep = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"create_contact\",\"arguments\":{\"LastName\":\"Deep\",\"Description\":"
            + new string('[', 40) + new string(']', 40) + "}}}";
        var (status, body) = await PostAsync(tenant, "mcp", new StringContent(deep, Encoding.UTF8, "application/json"), mcp: true);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("nests deeper than 32 levels", body);

        var (longStatus, longBody) = await PostAsync(tenant, "mcp", new StringContent(CreateContactCall(new string('y', 600_000)), Encoding.UTF8, "application/json"), mcp: true);
        Assert.Equal(HttpStatusCode.BadRequest, longStatus);
        Assert.Contains("600,000 bytes is longer than the 524,288 allowed", longBody);
        Assert.Equal(0, await ContactsAsync(tenant));
    }

    [Fact]
    public async Task Rest_BodyOver1MB_Is413WithASalesforceErrorBody()
    {
        var tenant = await server.CreateTenantAsync("Limit rest body");
        string account = "{\"Name\":\"Big\",\"Description\":\"" + new string('z', 1_100_000) + "\"}";
        var (status, body) = await PostAsync(tenant, "services/data/v64.0/sobjects/Account", new StringContent(account, Encoding.UTF8, "application/json"), mcp: false);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("REQUEST_ENTITY_TOO_LARGE", JsonDocument.Parse(body).RootElement[0].Str("errorCode"));
        Assert.Equal(0, (await tenant.CallOkAsync("find_records", new { @object = "Account", limit = 1 })).GetProperty("totalSize").GetInt32());
    }

    [Fact]
    public async Task Soql_Over100000Characters_IsMalformedQuery()
    {
        var tenant = await server.CreateTenantAsync("Limit soql");
        string names = string.Join(",", Enumerable.Range(0, 12_000).Select(i => $"'N{i:D5}'"));
        var result = await tenant.CallAsync("soql_query", new { query = $"SELECT Id FROM Contact WHERE LastName IN ({names})" });
        Assert.Contains("cannot exceed 100,000 characters", Mcp.ErrorText(result));
    }

    [Fact]
    public async Task Api_BodyOver1MB_Is413_AndTheClientReadsIt()
    {
        var tenant = await server.CreateTenantAsync("Limit api body");
        string hook = "{\"url\":\"https://example.com/" + new string('h', 1_100_000) + "\"}";
        var (status, body) = await PostAsync(tenant, "api/webhooks", new StringContent(hook, Encoding.UTF8, "application/json"), mcp: false);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("payload_too_large", JsonDocument.Parse(body).RootElement.Str("error"));
    }
}
