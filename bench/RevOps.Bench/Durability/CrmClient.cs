using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RevOps.Bench.Durability;

/// <summary>
/// One tenant's view of one running server: MCP tool calls (answered as SSE, as SDK clients ask)
/// and REST writes return an <see cref="Answer"/>, a lost connection included; reads of the
/// verification (SOQL, records, the change log) throw, since the server is up when they run.
/// </summary>
public sealed class CrmClient(HttpClient http, Uri baseAddress, string apiKey)
{
    public const string ApiVersion = "v60.0";
    readonly AuthenticationHeaderValue _authorization = new("Bearer", apiKey);
    long _rpcId;

    public Uri BaseAddress => baseAddress;

    /// <summary>tools/call over POST /mcp; Acknowledged carries structuredContent, an isError result or JSON-RPC error is Refused.</summary>
    public async Task<Answer> CallToolAsync(string tool, Action<Utf8JsonWriter> writeArguments, CancellationToken ct)
    {
        byte[] body = Json(w =>
        {
            w.WriteString("jsonrpc", "2.0");
            w.WriteNumber("id", Interlocked.Increment(ref _rpcId));
            w.WriteString("method", "tools/call");
            w.WriteStartObject("params");
            w.WriteString("name", tool);
            w.WriteStartObject("arguments");
            writeArguments(w);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        var (status, text, mediaType, lost) = await SendAsync(HttpMethod.Post, "/mcp", body, ct);
        if (lost is not null) return Answer.Unanswered(lost);
        if (status != HttpStatusCode.OK) return Answer.Refused($"POST /mcp answered {(int)status}: {Cut(text)}");
        string? json = mediaType == "text/event-stream" ? LastSseData(text) : text;
        if (json is null) return Answer.Unanswered($"The SSE answer has no data line: {Cut(text)}");
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (!root.TryGetProperty("result", out var result)) return Answer.Refused($"JSON-RPC error: {Cut(json)}");
            if (result.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True) return Answer.Refused($"Tool error: {Cut(json)}");
            if (!result.TryGetProperty("structuredContent", out var structured)) return Answer.Refused($"No structuredContent: {Cut(json)}");
            return Answer.Acknowledged(structured.Clone());
        }
        catch (JsonException)
        {
            // A body cut short by the kill.
            return Answer.Unanswered($"The answer is not complete JSON: {Cut(json)}");
        }
    }

    /// <summary>
    /// POST of a JSON body under /services/data/vNN.N/ (or at an absolute path such as /api/users); Acknowledged carries
    /// the parsed body when the status is the expected one.
    /// </summary>
    public async Task<Answer> PostAsync(string path, Action<Utf8JsonWriter> writeBody, HttpStatusCode expected, CancellationToken ct)
    {
        var (status, text, _, lost) = await SendAsync(HttpMethod.Post, path.StartsWith('/') ? path : $"/services/data/{ApiVersion}/{path}", Json(writeBody), ct);
        if (lost is not null) return Answer.Unanswered(lost);
        if (status != expected) return Answer.Refused($"POST {path} answered {(int)status}: {Cut(text)}");
        try
        {
            using var document = JsonDocument.Parse(text);
            return Answer.Acknowledged(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            return Answer.Unanswered($"The answer is not complete JSON: {Cut(text)}");
        }
    }

    /// <summary>Every row of a SOQL query, following nextRecordsUrl.</summary>
    public async Task<List<JsonElement>> QueryAsync(string soql, CancellationToken ct)
    {
        var rows = new List<JsonElement>();
        string? next = $"/services/data/{ApiVersion}/query?q={Uri.EscapeDataString(soql)}";
        while (next is not null)
        {
            using var document = JsonDocument.Parse(await GetOkAsync(next, ct));
            foreach (var record in document.RootElement.GetProperty("records").EnumerateArray()) rows.Add(record.Clone());
            next = document.RootElement.TryGetProperty("nextRecordsUrl", out var url) && url.ValueKind == JsonValueKind.String ? url.GetString() : null;
        }
        return rows;
    }

    /// <summary>The tenant's whole change log through GET /api/changes (JSON lines), oldest first.</summary>
    public async Task<List<ChangeLine>> ChangesAsync(CancellationToken ct)
    {
        var changes = new List<ChangeLine>();
        long since = 0;
        while (true)
        {
            using var request = Request(HttpMethod.Get, $"/api/changes?since={since}&limit=1000", null);
            using var response = await http.SendAsync(request, ct);
            string text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET /api/changes answered {(int)response.StatusCode}: {Cut(text)}");
            foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var change = ChangeLine.Parse(line);
                changes.Add(change);
                since = change.Seq;
            }
            bool more = response.Headers.TryGetValues("X-RevOps-Has-More", out var values) && values.Contains("true");
            if (!more) return changes;
        }
    }

    /// <summary>The status of a GET, whatever it is.</summary>
    public async Task<HttpStatusCode> StatusAsync(string pathAndQuery, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, pathAndQuery, null);
        using var response = await http.SendAsync(request, ct);
        return response.StatusCode;
    }

    /// <summary>GET of a path that must answer 200; the body as text.</summary>
    public async Task<string> GetOkAsync(string pathAndQuery, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Get, pathAndQuery, null);
        using var response = await http.SendAsync(request, ct);
        string text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {pathAndQuery} answered {(int)response.StatusCode}: {Cut(text)}");
        return text;
    }

    async Task<(HttpStatusCode Status, string Text, string? MediaType, string? Lost)> SendAsync(HttpMethod method, string path, byte[] body, CancellationToken ct)
    {
        try
        {
            using var request = Request(method, path, body);
            using var response = await http.SendAsync(request, ct);
            string text = await response.Content.ReadAsStringAsync(ct);
            return (response.StatusCode, text, response.Content.Headers.ContentType?.MediaType, null);
        }
        catch (HttpRequestException e)
        {
            return (default, "", null, $"{e.HttpRequestError}: {e.Message}");
        }
        catch (IOException e)
        {
            return (default, "", null, e.Message);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (default, "", null, "timed out");
        }
    }

    HttpRequestMessage Request(HttpMethod method, string pathAndQuery, byte[]? body)
    {
        var request = new HttpRequestMessage(method, new Uri(baseAddress, pathAndQuery));
        request.Headers.Authorization = _authorization;
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            // What the MCP SDK clients send; /mcp then answers as an SSE stream. REST ignores it.
            request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        }
        return request;
    }

    static byte[] Json(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    static string? LastSseData(string stream)
    {
        string? last = null;
        foreach (string raw in stream.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("data:", StringComparison.Ordinal)) last = line[5..].TrimStart(' ');
        }
        return last;
    }

    static string Cut(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>One change-log row as GET /api/changes shows it.</summary>
public sealed record ChangeLine(long Seq, string Object, string RecordId, string Operation, JsonElement Changes)
{
    public static ChangeLine Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        return new ChangeLine(root.GetProperty("seq").GetInt64(), root.GetProperty("object").GetString()!, root.GetProperty("recordId").GetString()!,
            root.GetProperty("operation").GetString()!, root.GetProperty("changes").Clone());
    }

    /// <summary>The value a field was set to by this change, or default when the change does not touch it.</summary>
    public JsonElement After(string field) =>
        Changes.ValueKind == JsonValueKind.Object && Changes.TryGetProperty(field, out var change) && change.TryGetProperty("after", out var after) ? after : default;
}
