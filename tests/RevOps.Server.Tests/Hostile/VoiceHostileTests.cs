using System.Net;
using System.Text;
using RevOps.Server.Tests.Voice;
using static RevOps.Server.Tests.Voice.VoiceCallbacks;

namespace RevOps.Server.Tests.Hostile;

/// <summary>
/// Issue 24: hostile bodies at the voice webhooks, signed with the tenant's own token or secret so they get past
/// authentication: huge, empty, not a form, missing or garbage CallSid, garbage numbers and durations, broken or deep
/// JSON. Each gets a 4xx that says what to send, none a 5xx, and none writes anything.
/// </summary>
public sealed class VoiceHostileTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    [Fact]
    public async Task HostileCallbacks_Are4xxWithAReason_AndWriteNothing()
    {
        var tenant = await server.CreateTenantAsync("Voice hostile");
        var (token, secret) = await ConfigureAsync(server, tenant);
        string sid = NewCallSid();
        var replies = new List<(string Label, Reply Reply)>();
        async Task Twilio(string label, params (string, string?)[] change) =>
            replies.Add((label, await PostTwilioAsync(server, tenant.TenantId, token, Form("twilio-status-completed.form", sid, change))));
        async Task Deepgram(string label, string json, string query = "") =>
            replies.Add((label, await PostDeepgramAsync(server, tenant.TenantId, secret, json, query)));

        await Twilio("no CallSid", ("CallSid", null));
        await Twilio("garbage CallSid", ("CallSid", "CA' OR 1=1 --"));
        await Twilio("short CallSid", ("CallSid", "CA123"));
        await Twilio("garbage From", ("From", "DROP TABLE task; --"));
        await Twilio("letters To", ("To", "call me maybe"));
        await Twilio("long number", ("From", new string('9', 500)));
        await Twilio("garbage duration", ("CallDuration", "-5"));
        await Twilio("huge duration", ("CallDuration", "99999999999999999999"));
        await Twilio("recording not a URL", ("RecordingUrl", "javascript:alert(1)"));
        await Twilio("huge field", ("Direction", new string('x', 100_000)));
        await Twilio("NUL in a transcription", ("TranscriptionText", "hello\0world"), ("TranscriptionStatus", "completed"));
        await Twilio("NUL in a recording URL", ("RecordingUrl", "https://api.twilio.com/r\0"));
        await Twilio("garbage RecordingSid", ("RecordingUrl", "https://api.twilio.com/r"), ("RecordingSid", "RE../../etc/passwd"), ("RecordingStatus", "completed"));
        await Deepgram("not JSON", "{\"metadata\":");
        await Deepgram("JSON array", "[1,2,3]");
        await Deepgram("no CallSid", "{\"results\":{\"channels\":[{\"alternatives\":[{\"transcript\":\"hello\"}]}]}}");
        await Deepgram("no transcript", "{\"metadata\":{\"extra\":{\"CallSid\":\"" + sid + "\"}},\"results\":{}}");
        await Deepgram("garbage CallSid in URL", Sample("deepgram-prerecorded.json", sid), "?CallSid=" + Uri.EscapeDataString("<script>"));
        await Deepgram("deep JSON", new string('[', 5000) + new string(']', 5000));
        await Deepgram("NUL in a transcript", "{\"metadata\":{\"extra\":{\"CallSid\":\"" + sid + "\"}},\"results\":{\"channels\":[{\"alternatives\":[{\"transcript\":\"a\\u0000b\"}]}]}}");
        await Deepgram("bad Unicode", "{\"metadata\":{\"extra\":{\"CallSid\":\"" + sid + "\"}},\"results\":{\"channels\":[{\"alternatives\":[{\"transcript\":\"\\ud800\"}]}]}}");

        using (var notForm = new HttpRequestMessage(HttpMethod.Post, TwilioUrl(server, tenant.TenantId)) { Content = new StringContent("{\"CallSid\":\"" + sid + "\"}", Encoding.UTF8, "application/json") })
            replies.Add(("JSON to Twilio's URL", await SendAsync(server, notForm)));
        using (var huge = new HttpRequestMessage(HttpMethod.Post, TwilioUrl(server, tenant.TenantId)) { Content = new StringContent("CallSid=" + sid + "&x=" + new string('a', 2_000_000), Encoding.UTF8, "application/x-www-form-urlencoded") })
            replies.Add(("2 MB form", await SendAsync(server, huge)));
        using (var hugeJson = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, $"webhooks/deepgram/{tenant.TenantId}")) { Content = new StringContent("\"" + new string('a', 2_000_000) + "\"", Encoding.UTF8, "application/json") })
            replies.Add(("2 MB transcript without secret", await SendAsync(server, hugeJson)));
        foreach (var q in new[] { "a%00b", "x", "" })
        {
            var search = await ApiClient.GetAsync(server, "/api/voice/calls?q=" + q, tenant.ApiKey);
            replies.Add(($"search q={q}", new Reply(search.Status, search.Text)));
        }
        foreach (var tenantId in new[] { "not-a-tenant", "00000000-0000-0000-0000-000000000000", "'; DROP TABLE tenants; --" })
            replies.Add(($"tenant {tenantId}", await PostTwilioAsync(server, Uri.EscapeDataString(tenantId), token, Form("twilio-status-completed.form", sid))));

        var failures = replies.Where(r => (int)r.Reply.Status is < 400 or >= 500 || !r.Reply.Text.Contains("\"message\"", StringComparison.Ordinal))
            .Select(r => $"{r.Label}: {(int)r.Reply.Status} {r.Reply.Text[..Math.Min(200, r.Reply.Text.Length)]}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, replies.Single(r => r.Label == "2 MB form").Reply.Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, replies.Single(r => r.Label == "JSON to Twilio's URL").Reply.Status);
        Assert.Equal("From 'DROP TABLE task; --' is not a phone number (read in region US). Send the number as Twilio does, in E.164 form like +14155550100.",
            replies.Single(r => r.Label == "garbage From").Reply.Body.Str("message"));
        Assert.StartsWith("CallSid must be Twilio's call Sid", replies.Single(r => r.Label == "garbage CallSid").Reply.Body.Str("message"));
        Assert.Equal(0, await CountAsync(server, tenant, "Task"));
        Assert.Equal(0, await CountAsync(server, tenant, "Lead"));
    }
}
