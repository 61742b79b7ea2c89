using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>
/// A browser without a browser: a cookie jar, no automatic redirects, and the antiforgery field of the last page
/// read, sent back with each form as a console page would.
/// </summary>
public sealed partial class ConsoleClient : IDisposable
{
    public const string Password = "correct horse battery staple";
    readonly HttpClient _http;
    string? _token;

    public ConsoleClient(Uri baseUri, CookieContainer? cookies = null)
    {
        Cookies = cookies ?? new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseUri };
    }

    public CookieContainer Cookies { get; }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Gives the tenant's first user (an admin) the test password.</summary>
    public static async Task SetPasswordAsync(CrmServerFixture server, TestTenant tenant, string? userId = null)
    {
        Assert.True(TenantId.TryParse(tenant.TenantId, out var id));
        var set = await server.Services.GetRequiredService<UserService>().SetPasswordAsync(id, userId ?? tenant.UserId, Password, Domain.Audit.AuditSource.Cli, Ct);
        Assert.True(set.IsOk, set.IsOk ? "" : set.Error.Message);
    }

    /// <summary>A client signed in as <paramref name="username"/>; asserts the redirect to the board.</summary>
    public static async Task<ConsoleClient> SignedInAsync(CrmServerFixture server, string username, string password = Password)
    {
        var client = new ConsoleClient(server.BaseUri);
        var reply = await client.SignInAsync(username, password);
        Assert.True(reply.Status == HttpStatusCode.Redirect, $"sign-in: {(int)reply.Status} {reply.Html}");
        Assert.Equal("/console/board", reply.Location);
        return client;
    }

    public async Task<Reply> SignInAsync(string username, string password)
    {
        await GetAsync("/console/sign-in");
        return await PostAsync("/console/sign-in", new() { ["username"] = username, ["password"] = password });
    }

    public async Task<Reply> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path.TrimStart('/'), Ct);
        var reply = await ReadAsync(response);
        if (TokenField().Match(reply.Html) is { Success: true } match) _token = WebUtility.HtmlDecode(match.Groups[1].Value);
        return reply;
    }

    /// <summary>Posts the fields with the last page's antiforgery token (unless <paramref name="withToken"/> is false).</summary>
    public async Task<Reply> PostAsync(string path, Dictionary<string, string> fields, bool withToken = true)
    {
        if (withToken && _token is not null) fields["__RequestVerificationToken"] = _token;
        using var response = await _http.PostAsync(path.TrimStart('/'), new FormUrlEncodedContent(fields), Ct);
        return await ReadAsync(response);
    }

    /// <summary>A multipart form (as a form with a file input sends), with the last page's antiforgery token.</summary>
    public async Task<Reply> PostMultipartAsync(string path, Dictionary<string, string> fields, (string Name, string FileName, byte[] Bytes)? file = null, bool withToken = true)
    {
        if (withToken && _token is not null) fields["__RequestVerificationToken"] = _token;
        using var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields) content.Add(new StringContent(value), name);
        if (file is { } f) content.Add(new ByteArrayContent(f.Bytes) { Headers = { ContentType = new("text/csv") } }, f.Name, f.FileName);
        using var response = await _http.PostAsync(path.TrimStart('/'), content, Ct);
        return await ReadAsync(response);
    }

    static async Task<Reply> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response.Headers.Location?.OriginalString, response.Headers);

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public sealed record Reply(HttpStatusCode Status, string Html, string? Location, System.Net.Http.Headers.HttpResponseHeaders Headers);
}
