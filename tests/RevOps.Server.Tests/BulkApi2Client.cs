using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RevOps.Server.Tests;

/// <summary>Raw Bulk API 2.0 calls with one tenant's key: JSON job calls, CSV uploads and CSV results with their headers.</summary>
public sealed class BulkApi2Client(HttpClient http, Uri baseUri, string apiKey)
{
    public const string Base = "services/data/v60.0/jobs/";

    public async Task<(HttpStatusCode Status, string Body, HttpResponseHeaders Headers)> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUri, path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> JsonAsync(HttpMethod method, string path, string? json = null)
    {
        var (status, body, _) = await SendAsync(method, path, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));
        return (status, body.Length > 0 ? JsonDocument.Parse(body).RootElement.Clone() : default);
    }

    public async Task<string> CreateIngestAsync(string json)
    {
        var (status, body) = await JsonAsync(HttpMethod.Post, Base + "ingest", json);
        Assert.True(status == HttpStatusCode.OK, $"create job: {(int)status} {body}");
        Assert.Equal("Open", body.Str("state"));
        return body.Str("id");
    }

    public Task<(HttpStatusCode Status, string Body, HttpResponseHeaders Headers)> UploadAsync(string id, byte[] csv, string type = "text/csv") =>
        SendAsync(HttpMethod.Put, $"{Base}ingest/{id}/batches", new ByteArrayContent(csv) { Headers = { ContentType = MediaTypeHeaderValue.Parse(type) } });

    public Task<(HttpStatusCode Status, string Body, HttpResponseHeaders Headers)> UploadAsync(string id, string csv) => UploadAsync(id, Encoding.UTF8.GetBytes(csv));

    public async Task<JsonElement> SetStateAsync(string kind, string id, string state)
    {
        var (status, body) = await JsonAsync(HttpMethod.Patch, $"{Base}{kind}/{id}", $$"""{"state":"{{state}}"}""");
        Assert.True(status == HttpStatusCode.OK, $"PATCH {state}: {(int)status} {body}");
        return body;
    }

    /// <summary>Polls the job until it reaches a final state (or the time runs out) and returns its info.</summary>
    public async Task<JsonElement> WaitAsync(string kind, string id, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var (status, body) = await JsonAsync(HttpMethod.Get, $"{Base}{kind}/{id}");
            Assert.Equal(HttpStatusCode.OK, status);
            if (body.Str("state") is "JobComplete" or "Failed" or "Aborted" || DateTime.UtcNow > deadline) return body;
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>A results CSV (successfulResults, failedResults, unprocessedrecords) as header and rows, values unquoted.</summary>
    public async Task<(string[] Header, List<string[]> Rows)> ResultsAsync(string id, string which)
    {
        var (status, body, _) = await SendAsync(HttpMethod.Get, $"{Base}ingest/{id}/{which}");
        Assert.True(status == HttpStatusCode.OK, $"{which}: {(int)status} {body}");
        var records = Csv(body);
        return (records.Count > 0 ? records[0] : [], records.Skip(1).ToList());
    }

    /// <summary>A small RFC 4180 reader for the answers.</summary>
    public static List<string[]> Csv(string text)
    {
        var records = new List<string[]>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
                continue;
            }
            if (c == '"') { quoted = true; any = true; }
            else if (c == ',') { cells.Add(cell.ToString()); cell.Clear(); any = true; }
            else if (c == '\n') { cells.Add(cell.ToString()); cell.Clear(); records.Add(cells.ToArray()); cells.Clear(); any = false; }
            else if (c != '\r') { cell.Append(c); any = true; }
        }
        if (any) { cells.Add(cell.ToString()); records.Add(cells.ToArray()); }
        return records;
    }
}
