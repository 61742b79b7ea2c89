using System.Net;
using Microsoft.AspNetCore.Http;
using static RevOps.Server.Tests.Voice.VoiceCallbacks;

namespace RevOps.Server.Tests.Voice;

/// <summary>
/// Issue 24, setting up voice: `revops integration twilio|deepgram|voice|show` and /api/integrations/voice store the
/// secrets and never show them back; the URL Twilio's signature is checked against follows --public-url behind a proxy.
/// </summary>
public sealed class VoiceSetupTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task IntegrationCommands_StoreTheSecrets_CallbacksSignedWithThemAreLogged_NothingPrintsThem()
    {
        var tenant = await server.CreateTenantAsync("Voice CLI");
        string token = NewAuthToken(), secret = "dg-" + Guid.NewGuid().ToString("N");
        string tokenFile = Path.Combine(server.DataDirectory, $"twilio-{Guid.NewGuid():N}.txt"), secretFile = Path.Combine(server.DataDirectory, $"deepgram-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(tokenFile, token + "\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(secretFile, secret, TestContext.Current.CancellationToken);

        string account = "AC" + Guid.NewGuid().ToString("N");
        var twilio = await Cli.RunAsync("integration", "twilio", "--tenant", tenant.TenantId, "--auth-token-file", tokenFile, "--account-sid", account, "--data", server.DataDirectory);
        Assert.True(twilio.ExitCode == 0, twilio.StdErr);
        var deepgram = await Cli.RunAsync("integration", "deepgram", "--tenant", tenant.TenantId, "--secret-file", secretFile, "--data", server.DataDirectory);
        Assert.True(deepgram.ExitCode == 0, deepgram.StdErr);
        var voice = await Cli.RunAsync("integration", "voice", "--tenant", tenant.TenantId, "--default-region", "gb", "--unmatched", "log", "--data", server.DataDirectory);
        Assert.True(voice.ExitCode == 0, voice.StdErr);
        var show = await Cli.RunAsync("integration", "show", "--tenant", tenant.TenantId, "--data", server.DataDirectory);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("Twilio auth token", show.StdOut);
        Assert.Contains(account, show.StdOut);
        Assert.Contains("GB", show.StdOut);
        Assert.Contains("log (logged unmatched)", show.StdOut);
        foreach (var output in new[] { twilio, deepgram, voice, show })
        {
            Assert.DoesNotContain(token, output.StdOut + output.StdErr);
            Assert.DoesNotContain(secret, output.StdOut + output.StdErr);
        }
        var api = await ApiClient.GetAsync(server, "/api/integrations/voice", tenant.ApiKey);
        Assert.Equal("{\"twilio\":true,\"twilio_account_sid\":\"" + account + "\",\"deepgram\":true,\"default_region\":\"GB\",\"unmatched\":\"log\",\"default_owner\":null}", api.Text);

        // GB is the region: a national number from the callback is read as British.
        string sid = NewCallSid();
        var logged = await PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-status-completed.form", sid, ("From", "020 7946 0958")));
        Assert.True(logged.Status == HttpStatusCode.OK, logged.Text);
        Assert.Equal("Call with +44 20 7946 0958", Assert.Single(await TasksAsync(server, tenant, sid)).Str("Subject"));
        Assert.Equal(HttpStatusCode.OK, (await PostDeepgramAsync(server, tenant.TenantId, secret, Sample("deepgram-prerecorded.json", sid))).Status);

        var badToken = await Cli.RunAsync("integration", "twilio", "--tenant", tenant.TenantId, "--auth-token-file", secretFile, "--data", server.DataDirectory);
        Assert.NotEqual(0, badToken.ExitCode);
        Assert.Contains("A Twilio auth token is 32 hex digits", badToken.StdErr + badToken.StdOut);
        var badAccount = await Cli.RunAsync("integration", "twilio", "--tenant", tenant.TenantId, "--account-sid", "AC-not-a-sid", "--data", server.DataDirectory);
        Assert.NotEqual(0, badAccount.ExitCode);
        Assert.Contains("A Twilio Account Sid is \"AC\" and 32 hex digits", badAccount.StdErr + badAccount.StdOut);
        var badRegion = await ApiClient.SendAsync(server, HttpMethod.Put, "/api/integrations/voice", tenant.ApiKey, "{\"default_region\":\"XX\",\"twilio_auth_token\":\"" + NewAuthToken() + "\"}");
        Assert.Equal(HttpStatusCode.BadRequest, badRegion.Status);
        Assert.Equal("INVALID_ARGUMENT: 'XX' is not a region phone numbers are known for. Send a two-letter ISO 3166 code such as US, GB or DE.", badRegion.Error());
        // Nothing of the refused request was stored: the old token still signs.
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-status-completed.form", sid))).Status);
    }

    [Fact]
    public async Task IntegrationApi_NeedsAnAdminKey()
    {
        var tenant = await server.CreateTenantAsync("Voice keys");
        var key = await ApiClient.SendAsync(server, HttpMethod.Post, "/api/keys", tenant.ApiKey, "{\"scope\":\"write\"}");
        Assert.True(key.Status == HttpStatusCode.Created, key.Text);
        var refused = await ApiClient.SendAsync(server, HttpMethod.Put, "/api/integrations/voice", key.Body.Str("api_key"), "{\"twilio_auth_token\":\"" + NewAuthToken() + "\"}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("{\"twilio\":false,\"twilio_account_sid\":null,\"deepgram\":false,\"default_region\":\"US\",\"unmatched\":\"lead\",\"default_owner\":null}",
            (await ApiClient.GetAsync(server, "/api/integrations/voice", tenant.ApiKey)).Text);
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:5080/webhooks/twilio/t/voice?x=1")]
    [InlineData("https://crm.example.com", "https://crm.example.com/webhooks/twilio/t/voice?x=1")]
    [InlineData("https://example.com/crm/", "https://example.com/crm/webhooks/twilio/t/voice?x=1")]
    public void SignedUrl_FollowsThePublicUrl_AndNeverForwardedHeaders(string? publicUrl, string expected)
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("127.0.0.1", 5080);
        http.Request.Path = "/webhooks/twilio/t/voice";
        http.Request.QueryString = new QueryString("?x=1");
        http.Request.Headers["X-Forwarded-Host"] = "evil.example";
        http.Request.Headers["X-Forwarded-Proto"] = "https";
        Assert.Equal(expected, RevOps.Server.Voice.VoiceWebhooksApi.SignedUrl(http.Request, publicUrl is null ? null : new Uri(publicUrl)));
    }
}
