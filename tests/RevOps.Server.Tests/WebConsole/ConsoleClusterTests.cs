using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace RevOps.Server.Tests.WebConsole;

/// <summary>
/// Two `revops serve` nodes on one PostgreSQL database (test.sh's PostgreSQL pass): a console cookie issued by node 1 opens
/// the console on node 2, and a form token from a node 1 page is accepted by node 2, because both are protected with the key
/// ring kept in the database (console_keys), not in a node's memory or files.
/// </summary>
public sealed partial class ConsoleClusterTests : IAsyncLifetime
{
    readonly TestCluster _cluster = new();

    public ValueTask InitializeAsync() => _cluster.InitializeAsync();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignedInOnNodeOne_TheCookieAndAFormTokenWorkOnNodeTwo()
    {
        var (a, b) = await _cluster.StartTwoNodesAsync();
        await using var _a = a;
        await using var _b = b;
        var (tenant, key) = await a.CreateTenantAsync("Console two nodes");
        var users = await a.SendAsync(HttpMethod.Get, "api/users", key);
        var admin = users.Body.GetProperty("users")[0]; // the first user, an admin, whom the tenant's first key acts as
        string username = admin.Str("Username"), email = admin.Str("Email"), name = admin.Str("Name");
        await SetPasswordAsync(tenant, email);
        var account = await a.SendAsync(HttpMethod.Post, "services/data/v60.0/sobjects/Account", key, new { Name = "Made on node 1" });
        string id = account.Body.Str("id");

        using var one = new ConsoleClient(a.BaseUri);
        var signedIn = await one.SignInAsync(username, ConsoleClient.Password);
        Assert.True(signedIn.Status == HttpStatusCode.Redirect && signedIn.Location == "/console/board", $"{(int)signedIn.Status} {signedIn.Location}");
        var page = await one.GetAsync($"/console/r/{id}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        string token = WebUtility.HtmlDecode(TokenField().Match(page.Html).Groups[1].Value);

        // Node 2 never saw the sign-in: the same cookie, and node 1's form token.
        using var two = new ConsoleClient(b.BaseUri, one.Cookies);
        var board = await two.GetAsync("/console/board");
        Assert.True(board.Status == HttpStatusCode.OK, $"{(int)board.Status} {board.Location}");
        Assert.Contains($"<span class=\"who\">{WebUtility.HtmlEncode(name)}</span>", board.Html);
        var saved = await two.PostAsync($"/console/r/{id}", new() { ["Name"] = "Edited on node 2", ["__RequestVerificationToken"] = token }, withToken: false);
        Assert.True(saved.Status == HttpStatusCode.Redirect, $"{(int)saved.Status} {saved.Html}");
        var read = await a.SendAsync(HttpMethod.Get, $"services/data/v60.0/sobjects/Account/{id}", key);
        Assert.Equal("Edited on node 2", read.Body.Str("Name"));

        // Without the cookie node 2 sends the browser to sign in.
        using var stranger = new ConsoleClient(b.BaseUri);
        var refused = await stranger.GetAsync("/console/board");
        Assert.Equal(HttpStatusCode.Redirect, refused.Status);
        Assert.Contains("/console/sign-in", refused.Location);
    }

    /// <summary>`revops user set-password` on the cluster's database, the password on stdin.</summary>
    async Task SetPasswordAsync(string tenant, string email)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string arg in new[] { Cli.DllPath, "user", "set-password", "--tenant", tenant, "--email", email, "--data", _cluster.DataDirectory }) start.ArgumentList.Add(arg);
        start.Environment["REVOPS_DB"] = _cluster.Database!;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(ConsoleClient.Password + "\n");
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, await stderr);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
