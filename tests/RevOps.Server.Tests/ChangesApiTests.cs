using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>GET /api/changes (JSON lines) and /api/changes/stream (server-sent events) over real HTTP.</summary>
public sealed class ChangesApiTests(CrmServerFixture server) : IClassFixture<CrmServerFixture>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    HttpRequestMessage Get(string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseUri, path));
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    [Fact]
    public async Task ApiChanges_AnswersJsonLinesAfterSince_PagesWithLimit_AndIsTenantScoped()
    {
        var acme = await server.CreateTenantAsync("Feed acme");
        var globex = await server.CreateTenantAsync("Feed globex");
        string id = (await acme.CallOkAsync("create_contact", new { LastName = "Feed" })).Str("Id");
        await acme.CallOkAsync("update_contact", new { Id = id, Title = "Lead" });
        await acme.CallOkAsync("delete_record", new { Id = id });

        using var response = await server.Http.SendAsync(Get("api/changes?since=1", acme.ApiKey), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("false", response.Headers.GetValues("X-RevOps-Has-More").Single());
        string body = await response.Content.ReadAsStringAsync(Ct);
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToArray();
        Assert.EndsWith("\n", body);
        Assert.Equal([2L, 3L], lines.Select(l => l.GetProperty("seq").GetInt64()));
        Assert.Equal(["updated", "deleted"], lines.Select(l => l.Str("operation")));
        Assert.Equal(("Contact", id, acme.UserId, "Integration User", acme.KeyId, "mcp"),
            (lines[0].Str("object"), lines[0].Str("recordId"), lines[0].GetProperty("actor").Str("Id"), lines[0].GetProperty("actor").Str("Name"), lines[0].Str("keyId"), lines[0].Str("channel")));
        Assert.Equal("Lead", lines[0].GetProperty("changes").GetProperty("Title").Str("after"));

        using var page = await server.Http.SendAsync(Get("api/changes?since=0&limit=2", acme.ApiKey), Ct);
        Assert.Equal("true", page.Headers.GetValues("X-RevOps-Has-More").Single());
        Assert.Equal(2, (await page.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        using var other = await server.Http.SendAsync(Get("api/changes?since=0", globex.ApiKey), Ct);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("", await other.Content.ReadAsStringAsync(Ct));

        using var anonymous = await server.Http.SendAsync(Get("api/changes?since=0", null), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var bad = await server.Http.SendAsync(Get("api/changes?since=abc", acme.ApiKey), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var error = JsonDocument.Parse(await bad.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal(("invalid_argument", "since: since must be a change sequence number, e.g. ?since=0 for the first change; 'abc' was sent."), (error.Str("error"), error.Str("message")));
    }

    /// <summary>Reads server-sent events from a live response: (id, data) per event; comments are counted.</summary>
    sealed class EventReader(Stream stream)
    {
        readonly StreamReader _reader = new(stream);
        public int Comments { get; private set; }

        public async Task<(long Id, JsonElement Data)> NextAsync(CancellationToken ct)
        {
            long id = -1;
            string? data = null;
            while (true)
            {
                string? line = await _reader.ReadLineAsync(ct) ?? throw new EndOfStreamException();
                if (line.StartsWith(':')) { Comments++; continue; }
                if (line.StartsWith("id: ")) id = long.Parse(line[4..]);
                else if (line.StartsWith("data: ")) data = line[6..];
                else if (line.Length == 0 && data is not null) return (id, JsonDocument.Parse(data).RootElement.Clone());
            }
        }
    }

    [Fact]
    public async Task Stream_SendsBacklogThenNewChangesPromptly_ResumesWithLastEventId_AndStaysInTenant()
    {
        var acme = await server.CreateTenantAsync("Stream acme");
        var globex = await server.CreateTenantAsync("Stream globex");
        string first = (await acme.CallOkAsync("create_contact", new { LastName = "Backlog" })).Str("Id");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));

        using var response = await server.Http.SendAsync(Get("api/changes/stream?since=0", acme.ApiKey), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = new EventReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var backlog = await events.NextAsync(timeout.Token);
        Assert.Equal((1L, first), (backlog.Id, backlog.Data.Str("recordId")));

        await globex.CallOkAsync("create_contact", new { LastName = "Other tenant" });
        var clock = Stopwatch.StartNew();
        string second = (await acme.CallOkAsync("create_contact", new { LastName = "Live" })).Str("Id");
        var live = await events.NextAsync(timeout.Token);
        var latency = clock.Elapsed;
        Assert.Equal((2L, second, "created"), (live.Id, live.Data.Str("recordId"), live.Data.Str("operation")));
        // Pushed by the commit path, not found by the 1-second heartbeat re-read.
        Assert.True(latency < TimeSpan.FromMilliseconds(900), $"live change took {latency.TotalMilliseconds} ms");

        // Idle: heartbeats arrive as comments.
        int comments = events.Comments;
        await Task.Delay(TimeSpan.FromSeconds(2.5), timeout.Token);
        await acme.CallOkAsync("update_contact", new { Id = second, Title = "Later" });
        Assert.Equal(3L, (await events.NextAsync(timeout.Token)).Id);
        Assert.True(events.Comments >= comments + 2, $"{events.Comments - comments} heartbeats in 2.5 s");

        // A reconnect with Last-Event-ID gets exactly what came after it.
        var resume = Get("api/changes/stream", acme.ApiKey);
        resume.Headers.Add("Last-Event-ID", "2");
        using var resumed = await server.Http.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var next = await new EventReader(await resumed.Content.ReadAsStreamAsync(timeout.Token)).NextAsync(timeout.Token);
        Assert.Equal((3L, "updated"), (next.Id, next.Data.Str("operation")));

        // The other tenant's stream starts at its own seq 1 and never sees acme's records.
        using var theirs = await server.Http.SendAsync(Get("api/changes/stream?since=0", globex.ApiKey), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var theirFirst = await new EventReader(await theirs.Content.ReadAsStreamAsync(timeout.Token)).NextAsync(timeout.Token);
        Assert.Equal((1L, "Other tenant"), (theirFirst.Id, theirFirst.Data.GetProperty("changes").GetProperty("LastName").Str("after")));
    }

    [Fact]
    public async Task ConcurrentWriters_500Writes_GetSequencesOneToNWithOneRowEach()
    {
        var tenant = await server.CreateTenantAsync("Gap free");
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async writer =>
        {
            for (int i = 0; i < 25; i++)
            {
                using var request = Get($"services/data/v60.0/sobjects/Contact", tenant.ApiKey);
                request.Method = HttpMethod.Post;
                request.Content = new StringContent($$"""{"LastName":"W{{writer}}-{{i}}"}""", System.Text.Encoding.UTF8, "application/json");
                using var response = await server.Http.SendAsync(request, Ct);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                acknowledged.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Str("id"));
            }
        }));

        var rows = ChangeLogFile.Read(server, tenant.TenantId);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), rows.Select(r => r.Seq));
        Assert.Equal(acknowledged.Order(StringComparer.Ordinal), rows.Select(r => r.RecordId).Order(StringComparer.Ordinal));
        Assert.Equal(500, rows.Select(r => r.RequestId).Distinct().Count());

        using var feed = await server.Http.SendAsync(Get("api/changes?since=0&limit=1000", tenant.ApiKey), Ct);
        var seqs = (await feed.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("seq").GetInt64());
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), seqs);
    }
}
