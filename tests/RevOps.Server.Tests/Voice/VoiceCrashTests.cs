using System.Net;
using System.Text.Json;
using static RevOps.Server.Tests.Voice.VoiceCallbacks;

namespace RevOps.Server.Tests.Voice;

/// <summary>
/// A real `revops serve` killed with SIGKILL while Twilio's signed status, recording and transcription callbacks arrive
/// and while recordings are being downloaded (the media listener holds two downloads open, so the kill lands after the
/// callbacks were answered and before their audio was stored), then started again on the same data: every answered
/// callback's effect is there exactly once, and every recording is stored once, by the restart's sweep of the queue.
/// </summary>
public sealed class VoiceCrashTests : IAsyncLifetime
{
    readonly string _data = Path.Combine(Path.GetTempPath(), "revops-voice-crash-" + Guid.NewGuid().ToString("N"));
    string? _database;

    public async ValueTask InitializeAsync() => _database = await TestDatabase.CreateAsync(_data);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly Dictionary<string, string> Env = new()
    {
        ["REVOPS_ALLOW_PRIVATE_WEBHOOKS"] = "1",
        ["REVOPS_WEBHOOK_RETRY_BASE_MS"] = "50",
        ["REVOPS_WEBHOOK_RETRY_MAX_MS"] = "300",
        ["REVOPS_WEBHOOK_TIMEOUT_MS"] = "1000",
    };

    sealed record Call(string Sid, string RecordingSid, string RecordingUrl, byte[] Audio, string Transcript, bool Held)
    {
        public List<KeyValuePair<string, string>>[] Callbacks =>
        [
            Form("twilio-status-completed.form", Sid),
            Form("twilio-recording-completed.form", Sid, ("RecordingSid", RecordingSid), ("RecordingUrl", RecordingUrl)),
            Form("twilio-transcription-completed.form", Sid, ("RecordingSid", RecordingSid), ("RecordingUrl", RecordingUrl), ("TranscriptionText", Transcript)),
        ];
    }

    static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Posts a signed callback; its status, or null when the server did not answer (it was killed).</summary>
    static async Task<HttpStatusCode?> PostAsync(ServeProcess server, string tenant, string token, List<KeyValuePair<string, string>> form)
    {
        string url = new Uri(server.BaseUri, $"webhooks/twilio/{tenant}/voice").ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation("X-Twilio-Signature", Sign(token, url, form));
        try
        {
            using var response = await Http.SendAsync(request, Ct);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    static async Task<JsonElement[]> QueryAsync(ServeProcess server, string key, string soql)
    {
        var (status, body) = await server.SendAsync(HttpMethod.Get, "/services/data/v60.0/query?q=" + Uri.EscapeDataString(soql), key);
        Assert.True(status == HttpStatusCode.OK, $"{soql}: {body}");
        return body.GetProperty("records").EnumerateArray().ToArray();
    }

    [Fact]
    public async Task Kill9_BetweenAnsweredCallbacksAndTheirFetches_EveryCallLoggedOnce_EveryRecordingStoredOnce()
    {
        await using var media = await TwilioMediaListener.StartAsync();
        int port = ServeProcess.FreePort();
        var calls = Enumerable.Range(0, 8).Select(i =>
        {
            byte[] audio = [.. Enumerable.Range(0, 20_000 + i * 1000).Select(b => (byte)(b * (i + 3) % 251))];
            var (recordingSid, url) = media.AddRecording(audio, held: i < 2);
            return new Call(NewCallSid(), recordingSid, url, audio, $"Call {i}: we talked about pricing for seat {i}.", i < 2);
        }).ToArray();
        var acknowledged = new HashSet<(int Call, int Callback)>();
        string tenant, key;

        await using (var first = await ServeProcess.StartAsync(_data, port, Env))
        {
            (tenant, key) = await first.CreateTenantAsync("Voice crash", "enterprise");
            var set = await first.SendAsync(HttpMethod.Put, "/api/integrations/voice", key, new { twilio_auth_token = media.AuthToken, twilio_account_sid = media.AccountSid });
            Assert.Equal(HttpStatusCode.OK, set.Status);

            // The two held calls: every callback answered, their downloads started and held open.
            for (int i = 0; i < 2; i++)
                for (int c = 0; c < 3; c++)
                {
                    Assert.Equal(HttpStatusCode.OK, await PostAsync(first, tenant, media.AuthToken, calls[i].Callbacks[c]));
                    acknowledged.Add((i, c));
                }
            for (int i = 0; i < 300 && (media.RequestsFor(calls[0].RecordingSid) == 0 || media.RequestsFor(calls[1].RecordingSid) == 0); i++) await Task.Delay(50, Ct);
            Assert.Equal(1, media.RequestsFor(calls[0].RecordingSid));
            Assert.Equal(1, media.RequestsFor(calls[1].RecordingSid));

            // The other calls' callbacks keep arriving; the server is killed after the fifth is answered.
            var killed = new TaskCompletionSource();
            var sending = Task.Run(async () =>
            {
                for (int i = 2; i < calls.Length; i++)
                    for (int c = 0; c < 3; c++)
                    {
                        if (await PostAsync(first, tenant, media.AuthToken, calls[i].Callbacks[c]) == HttpStatusCode.OK)
                            lock (acknowledged)
                            {
                                acknowledged.Add((i, c));
                                if (acknowledged.Count == 6 + 5) killed.TrySetResult();
                            }
                    }
                killed.TrySetResult();
            }, Ct);
            await killed.Task.WaitAsync(TimeSpan.FromSeconds(60), Ct);
            first.Kill();
            await sending;
        }
        Assert.InRange(acknowledged.Count, 11, 3 * calls.Length - 1);
        Assert.All(media.Requests.Where(r => r.Path.Contains(calls[0].RecordingSid, StringComparison.Ordinal) || r.Path.Contains(calls[1].RecordingSid, StringComparison.Ordinal)),
            r => Assert.Equal(0, r.Status));
        media.Release();

        await using (var second = await ServeProcess.StartAsync(_data, port, Env))
        {
            // Twilio retries what got no answer, and replays some of what did.
            for (int i = 0; i < calls.Length; i++)
                for (int c = 0; c < 3; c++)
                    if (!acknowledged.Contains((i, c)) || i % 3 == 0)
                        Assert.Equal(HttpStatusCode.OK, await PostAsync(second, tenant, media.AuthToken, calls[i].Callbacks[c]));

            foreach (var call in calls)
            {
                var task = Assert.Single(await QueryAsync(second, key, $"SELECT Id, Description, CallDisposition FROM Task WHERE CallObject = '{call.Sid}'"));
                Assert.Equal("Completed", task.Str("CallDisposition"));
                Assert.Contains(call.Transcript, task.Str("Description"), StringComparison.Ordinal);
                Assert.StartsWith($"Recording: {call.RecordingUrl}", task.Str("Description"), StringComparison.Ordinal);

                JsonElement[] versions = [];
                for (int n = 0; n < 300 && versions.Length == 0; n++)
                {
                    versions = await QueryAsync(second, key, $"SELECT Id, ContentDocumentId, ContentSize FROM ContentVersion WHERE PathOnClient = 'recording-{call.Sid}-{call.RecordingSid}.mp3'");
                    if (versions.Length == 0) await Task.Delay(100, Ct);
                }
                var version = Assert.Single(versions);
                Assert.Equal(call.Audio.Length, version.GetProperty("ContentSize").GetInt32());
                var (status, _) = await second.SendAsync(HttpMethod.Get, $"/services/data/v60.0/sobjects/ContentVersion/{version.Str("Id")}/VersionData", key);
                Assert.Equal(HttpStatusCode.OK, status);
                using (var download = new HttpRequestMessage(HttpMethod.Get, new Uri(second.BaseUri, $"services/data/v60.0/sobjects/ContentVersion/{version.Str("Id")}/VersionData")))
                {
                    download.Headers.Authorization = new("Bearer", key);
                    using var bytes = await Http.SendAsync(download, Ct);
                    Assert.Equal(call.Audio, await bytes.Content.ReadAsByteArrayAsync(Ct));
                }
                var links = await QueryAsync(second, key, $"SELECT ContentDocumentId FROM ContentDocumentLink WHERE LinkedEntityId = '{task.Str("Id")}'");
                Assert.Single(links, l => l.Str("ContentDocumentId") == version.Str("ContentDocumentId"));
                Assert.Equal(2, links.Length); // the recording and the transcript, each once

                JsonElement fetch = default;
                for (int n = 0; n < 100; n++)
                {
                    var (_, body) = await second.SendAsync(HttpMethod.Get, $"/api/voice/calls/{call.Sid}/recordings", key);
                    fetch = Assert.Single(body.GetProperty("recordings").EnumerateArray());
                    if (fetch.Str("status") != "pending") break;
                    await Task.Delay(100, Ct);
                }
                Assert.Equal((call.RecordingSid, "stored"), (fetch.Str("recordingSid"), fetch.Str("status")));
                if (call.Held) Assert.True(media.RequestsFor(call.RecordingSid) >= 2, $"{call.RecordingSid} was fetched again after the restart");
            }
            Assert.Equal(calls.Length, (await QueryAsync(second, key, "SELECT Id FROM Task")).Length);
            Assert.Equal(calls.Length * 2, (await QueryAsync(second, key, "SELECT Id FROM ContentDocument")).Length);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await TestDatabase.DropAsync(_database);
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }
}
