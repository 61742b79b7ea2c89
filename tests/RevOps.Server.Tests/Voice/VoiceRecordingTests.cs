using System.Net;
using System.Text.Json;
using static RevOps.Server.Tests.Voice.VoiceCallbacks;

namespace RevOps.Server.Tests.Voice;

/// <summary>
/// A completed recording's callback makes the server fetch the audio from Twilio (a loopback listener here, which checks
/// basic auth AccountSid:AuthToken) after answering, and store it as one ContentVersion on the call's Task. The server
/// allows loopback targets as webhooks do under --allow-private-webhooks, with the webhook tests' short retry delays.
/// </summary>
public sealed class VoiceRecordingTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    readonly CrmServerFixture _server = fixture.Server;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<(TestTenant Tenant, string Token)> TenantAsync(string name, string? accountSid, string? token = null)
    {
        var tenant = await _server.CreateTenantAsync(name);
        token ??= NewAuthToken();
        object body = accountSid is null ? new { twilio_auth_token = token } : new { twilio_auth_token = token, twilio_account_sid = accountSid };
        var set = await ApiClient.SendAsync(_server, HttpMethod.Put, "/api/integrations/voice", tenant.ApiKey, JsonSerializer.Serialize(body));
        Assert.True(set.Status == HttpStatusCode.OK, set.Text);
        return (tenant, token);
    }

    static List<KeyValuePair<string, string>> RecordingForm(string callSid, string recordingSid, string url) =>
        Form("twilio-recording-completed.form", callSid, ("RecordingSid", recordingSid), ("RecordingUrl", url));

    async Task<JsonElement[]> RecordingVersionsAsync(TestTenant tenant, string callSid) =>
        await QueryAsync(_server, tenant, $"SELECT Id, Title, PathOnClient, ContentDocumentId, ContentSize FROM ContentVersion WHERE Title = 'recording-{callSid}.mp3'");

    async Task<JsonElement[]> WaitForRecordingAsync(TestTenant tenant, string callSid)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += TimeSpan.FromMilliseconds(100))
        {
            var found = await RecordingVersionsAsync(tenant, callSid);
            if (found.Length > 0) return found;
            await Task.Delay(100, Ct);
        }
        return [];
    }

    async Task<JsonElement[]> FetchesAsync(TestTenant tenant, string callSid)
    {
        var reply = await ApiClient.GetAsync(_server, $"/api/voice/calls/{callSid}/recordings", tenant.ApiKey);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Text);
        return reply.Body.GetProperty("recordings").EnumerateArray().ToArray();
    }

    async Task<JsonElement> WaitForFetchAsync(TestTenant tenant, string callSid, string status)
    {
        for (int i = 0; i < 300; i++)
        {
            if ((await FetchesAsync(tenant, callSid)) is [var only] && only.Str("status") == status) return only;
            await Task.Delay(100, Ct);
        }
        return Assert.Single(await FetchesAsync(tenant, callSid));
    }

    static async Task WaitForRequestsAsync(TwilioMediaListener media, string recordingSid, int count)
    {
        for (int i = 0; i < 300 && media.RequestsFor(recordingSid) < count; i++) await Task.Delay(100, Ct);
        Assert.Equal(count, media.RequestsFor(recordingSid));
    }

    async Task<byte[]> DownloadAsync(TestTenant tenant, string versionId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.BaseUri, $"services/data/v60.0/sobjects/ContentVersion/{versionId}/VersionData"));
        request.Headers.Authorization = new("Bearer", tenant.ApiKey);
        using var response = await _server.Http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    [Fact]
    public async Task CompletedRecording_IsFetchedWithTheAccountsCredentials_AndStoredOnceOnTheCallsTask()
    {
        await using var media = await TwilioMediaListener.StartAsync();
        var (tenant, _) = await TenantAsync("Recording stored", media.AccountSid, media.AuthToken);
        var (other, otherToken) = await TenantAsync("Recording other tenant", "AC" + Guid.NewGuid().ToString("N"));
        byte[] audio = [.. Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31 % 251))];
        var (recordingSid, url) = media.AddRecording(audio);
        string sid = NewCallSid();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(_server, tenant.TenantId, media.AuthToken, Form("twilio-status-completed.form", sid))).Status);
        var form = RecordingForm(sid, recordingSid, url);
        var answered = await PostTwilioAsync(_server, tenant.TenantId, media.AuthToken, form);
        Assert.True(answered.Status == HttpStatusCode.OK, answered.Text);

        var version = Assert.Single(await WaitForRecordingAsync(tenant, sid));
        Assert.Equal($"recording-{sid}-{recordingSid}.mp3", version.Str("PathOnClient"));
        Assert.Equal(audio.Length, version.GetProperty("ContentSize").GetInt32());
        Assert.Equal(audio, await DownloadAsync(tenant, version.Str("Id")));
        var task = Assert.Single(await TasksAsync(_server, tenant, sid));
        var links = await QueryAsync(_server, tenant, $"SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '{task.Str("Id")}'");
        Assert.Equal(version.Str("ContentDocumentId"), Assert.Single(links).Str("ContentDocumentId"));
        Assert.Equal($"/2010-04-01/Accounts/{media.AccountSid}/Recordings/{recordingSid}.mp3", Assert.Single(media.Requests).Path);
        Assert.StartsWith($"Recording: {url}", task.Str("Description"));

        // Replays (Twilio retries) fetch nothing and add nothing.
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(_server, tenant.TenantId, media.AuthToken, form)).Status);
        await Task.Delay(1000, Ct);
        Assert.Single(await RecordingVersionsAsync(tenant, sid));
        Assert.Equal(1, media.RequestsFor(recordingSid));
        Assert.Equal(1, await CountAsync(_server, tenant, "ContentDocument"));

        // Another tenant sees neither the file nor its bytes, and the call's Sid logs nothing of the first tenant there.
        Assert.Empty(await RecordingVersionsAsync(other, sid));
        Assert.Equal(0, await CountAsync(_server, other, "ContentVersion"));
        var foreign = await ApiClient.GetAsync(_server, $"/services/data/v60.0/sobjects/ContentVersion/{version.Str("Id")}/VersionData", other.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, foreign.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostTwilioAsync(_server, tenant.TenantId, otherToken, form)).Status);

        // The fetch is one row, stored after one attempt; another tenant asking for the call's recordings sees none.
        var fetch = await WaitForFetchAsync(tenant, sid, "stored");
        Assert.Equal((recordingSid, url, 1, JsonValueKind.Null), (fetch.Str("recordingSid"), fetch.Str("recordingUrl"), fetch.GetProperty("attempts").GetInt32(), fetch.GetProperty("lastError").ValueKind));
        Assert.Empty(await FetchesAsync(other, sid));
    }

    [Fact]
    public async Task WrongCredentials_TwilioAnswers401_NoFileAndTheTaskKeepsTheLink()
    {
        await using var media = await TwilioMediaListener.StartAsync();
        // The account's Sid with another auth token (rotated in Twilio, say): Twilio refuses the basic auth.
        var (tenant, token) = await TenantAsync("Recording wrong credentials", media.AccountSid);
        var (recordingSid, url) = media.AddRecording([1, 2, 3]);
        string sid = NewCallSid();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(_server, tenant.TenantId, token, Form("twilio-status-completed.form", sid))).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(_server, tenant.TenantId, token, RecordingForm(sid, recordingSid, url))).Status);

        await WaitForRequestsAsync(media, recordingSid, 1);
        await Task.Delay(1000, Ct);
        Assert.Equal((401, 1), (media.Requests.Single().Status, media.RequestsFor(recordingSid)));
        Assert.Empty(await RecordingVersionsAsync(tenant, sid));
        Assert.Equal(0, await CountAsync(_server, tenant, "ContentVersion"));
        var task = Assert.Single(await TasksAsync(_server, tenant, sid));
        Assert.Equal($"Recording: {url}", task.Str("Description"));
        Assert.Equal("Completed", task.Str("CallDisposition"));
        var fetch = await WaitForFetchAsync(tenant, sid, "failed");
        Assert.Equal(("failed", 1, "Twilio answered 401; check the tenant's Account Sid and auth token"),
            (fetch.Str("status"), fetch.GetProperty("attempts").GetInt32(), fetch.Str("lastError")));
    }

    [Fact]
    public async Task LongOutage_GivesUpAfterMaxAttempts_WithTheReasonShown()
    {
        await using var media = await TwilioMediaListener.StartAsync();
        var (tenant, _) = await TenantAsync("Recording given up", media.AccountSid, media.AuthToken);
        var (recordingSid, url) = media.AddRecording([5, 5, 5], outages: 100);
        string sid = NewCallSid();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(_server, tenant.TenantId, media.AuthToken, RecordingForm(sid, recordingSid, url))).Status);

        var fetch = await WaitForFetchAsync(tenant, sid, "failed");
        Assert.Equal(5, fetch.GetProperty("attempts").GetInt32());
        Assert.Equal("Gave up after 5 attempts; the last: Twilio answered 503", fetch.Str("lastError"));
        Assert.NotEqual(JsonValueKind.Null, fetch.GetProperty("finishedAt").ValueKind);
        await Task.Delay(1000, Ct);
        Assert.Equal(Enumerable.Repeat(503, 5), media.Requests.Select(r => r.Status));
        Assert.Equal(0, await CountAsync(_server, tenant, "ContentVersion"));
        Assert.Equal($"Recording: {url}", Assert.Single(await TasksAsync(_server, tenant, sid)).Str("Description"));

        var bad = await ApiClient.GetAsync(_server, "/api/voice/calls/CA123/recordings", tenant.ApiKey);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("callSid must be Twilio's call Sid: \"CA\" and 32 hex digits, as in the Task's CallObject.", bad.Body.Str("message"));
    }

    [Fact]
    public async Task TenantWithoutAccountSid_FetchesNothing_AndTheRecordingStaysALink()
    {
        await using var media = await TwilioMediaListener.StartAsync();
        var (tenant, token) = await TenantAsync("Recording no account", accountSid: null);
        var (recordingSid, url) = media.AddRecording([9, 9, 9]);
        string sid = NewCallSid();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(_server, tenant.TenantId, token, RecordingForm(sid, recordingSid, url))).Status);

        await Task.Delay(1500, Ct);
        Assert.Equal(0, media.RequestsFor(recordingSid));
        Assert.Equal(0, await CountAsync(_server, tenant, "ContentVersion"));
        Assert.Equal($"Recording: {url}", Assert.Single(await TasksAsync(_server, tenant, sid)).Str("Description"));
        Assert.StartsWith("The tenant has no Twilio Account Sid", (await WaitForFetchAsync(tenant, sid, "skipped")).Str("lastError"));
    }

    [Fact]
    public async Task RecordingUrlOfAnotherAccountOrRecording_GetsNoCredentials()
    {
        await using var media = await TwilioMediaListener.StartAsync();
        var (tenant, _) = await TenantAsync("Recording foreign URL", media.AccountSid, media.AuthToken);
        var (recordingSid, _) = media.AddRecording([7, 7, 7]);
        string sid = NewCallSid();
        string otherAccount = new Uri(media.BaseUri, $"2010-04-01/Accounts/AC{Guid.NewGuid():N}/Recordings/{recordingSid}").ToString();
        string otherRecording = new Uri(media.BaseUri, $"2010-04-01/Accounts/{media.AccountSid}/Recordings/RE{Guid.NewGuid():N}").ToString();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(_server, tenant.TenantId, media.AuthToken, RecordingForm(sid, recordingSid, otherAccount))).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(_server, tenant.TenantId, media.AuthToken, RecordingForm(sid, recordingSid, otherRecording))).Status);

        await Task.Delay(1500, Ct);
        Assert.Empty(media.Requests);
        Assert.Equal(0, await CountAsync(_server, tenant, "ContentVersion"));
    }

    [Fact]
    public async Task TwilioOutage_IsRetriedWithBackoff_UntilTheRecordingIsStored()
    {
        await using var media = await TwilioMediaListener.StartAsync();
        var (tenant, _) = await TenantAsync("Recording retried", media.AccountSid, media.AuthToken);
        byte[] audio = [.. Enumerable.Range(0, 4096).Select(i => (byte)i)];
        var (recordingSid, url) = media.AddRecording(audio, outages: 2);
        string sid = NewCallSid();
        Assert.Equal(HttpStatusCode.OK, (await PostTwilioAsync(_server, tenant.TenantId, media.AuthToken, RecordingForm(sid, recordingSid, url))).Status);

        var version = Assert.Single(await WaitForRecordingAsync(tenant, sid));
        Assert.Equal(audio, await DownloadAsync(tenant, version.Str("Id")));
        Assert.Equal([503, 503, 200], media.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task AccountSid_IsCheckedShownAndSetAlone()
    {
        var tenant = await _server.CreateTenantAsync("Recording account sid");
        var bad = await ApiClient.SendAsync(_server, HttpMethod.Put, "/api/integrations/voice", tenant.ApiKey,
            JsonSerializer.Serialize(new { twilio_auth_token = NewAuthToken(), twilio_account_sid = "AC123" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("A Twilio Account Sid is \"AC\" and 32 hex digits (Twilio Console → Account → Account Info → Account SID). It is needed to fetch call recordings.", bad.Body.Str("message"));
        var shown = await ApiClient.GetAsync(_server, "/api/integrations/voice", tenant.ApiKey);
        Assert.False(shown.Body.GetProperty("twilio").GetBoolean());
        Assert.Equal(JsonValueKind.Null, shown.Body.GetProperty("twilio_account_sid").ValueKind);

        string account = "AC" + Guid.NewGuid().ToString("N");
        var set = await ApiClient.SendAsync(_server, HttpMethod.Put, "/api/integrations/voice", tenant.ApiKey, JsonSerializer.Serialize(new { twilio_account_sid = account }));
        Assert.True(set.Status == HttpStatusCode.OK, set.Text);
        Assert.Equal(account, set.Body.Str("twilio_account_sid"));
        Assert.False(set.Body.GetProperty("twilio").GetBoolean());
        var token = await ApiClient.SendAsync(_server, HttpMethod.Put, "/api/integrations/voice", tenant.ApiKey, JsonSerializer.Serialize(new { twilio_auth_token = NewAuthToken() }));
        Assert.True(token.Body.GetProperty("twilio").GetBoolean());
        Assert.Equal(account, token.Body.Str("twilio_account_sid"));
    }
}
