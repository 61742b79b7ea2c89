using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace RevOps.Bench;

/// <summary>
/// One load-generating loop's state: its own histogram, error count and response buffer, so the
/// hot path shares nothing between workers and allocates only what HttpClient itself needs.
/// </summary>
public abstract class Worker(HttpClient http)
{
    const int MaxRetainedBody = 1 << 20;
    byte[] _buffer = new byte[16 * 1024];
    int _length;

    protected HttpClient Http { get; } = http;
    public LatencyHistogram Histogram { get; private set; } = new();
    public long Errors { get; private set; }
    public string? FirstError { get; private set; }

    public void Reset()
    {
        Histogram = new LatencyHistogram();
        Errors = 0;
        FirstError = null;
    }

    /// <summary>Counts a failed call; the description (when given) is kept if it is the first.</summary>
    public void RecordError(string? description)
    {
        Errors++;
        FirstError ??= description;
    }

    /// <summary>Keeps why a call failed, when it is the first failure (for workers that delegate to others).</summary>
    protected void Explain(string? description) => FirstError ??= description;

    /// <summary>One call; true when the answer was the expected one. Exceptions count as errors in the caller.</summary>
    public abstract ValueTask<bool> CallAsync(CancellationToken ct);

    protected ReadOnlySpan<byte> Body => _buffer.AsSpan(0, _length);

    /// <summary>Sends the request and reads the whole body into this worker's buffer.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    protected async ValueTask<HttpStatusCode> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            _length = 0;
            while (true)
            {
                if (_length == _buffer.Length)
                {
                    if (_buffer.Length >= MaxRetainedBody) throw new InvalidOperationException($"The response is larger than {MaxRetainedBody} bytes.");
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }
                int read = await stream.ReadAsync(_buffer.AsMemory(_length), ct);
                if (read == 0) break;
                _length += read;
            }
            return response.StatusCode;
        }
    }

    /// <summary>Records why the answer was wrong (first one per scenario is kept) and returns false.</summary>
    protected bool Wrong(HttpStatusCode status, string expectation)
    {
        if (FirstError is null)
        {
            var body = Body;
            string text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 400)]);
            FirstError = $"HTTP {(int)status}: expected {expectation}; body: {text}";
        }
        return false;
    }

    static readonly bool SdkPath = Environment.GetEnvironmentVariable("REVOPS_BENCH_MCP_PATH") == "sdk";

    protected static HttpRequestMessage Post(Uri uri, ByteArrayContent content, string authorization)
    {
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        // What the MCP SDK clients send; the server then answers as an SSE stream.
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        // REVOPS_BENCH_MCP_PATH=sdk: the SDK's per-request server instead of the direct path, to compare the two.
        if (SdkPath) request.Headers.TryAddWithoutValidation("X-RevOps-Mcp-Path", "sdk");
        return request;
    }
}

/// <summary>GET /health: the floor — Kestrel, routing and the middleware pipeline, no auth, no MCP, no database.</summary>
public sealed class HealthWorker(HttpClient http, Uri baseAddress) : Worker(http)
{
    static readonly byte[] Expected = """{"status":"ok"}"""u8.ToArray();
    readonly Uri _health = new(baseAddress, "/health");

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> CallAsync(CancellationToken ct)
    {
        var status = await SendAsync(new HttpRequestMessage(HttpMethod.Get, _health), ct);
        return (status == HttpStatusCode.OK && Body.SequenceEqual(Expected)) || Wrong(status, """{"status":"ok"}""");
    }
}

/// <summary>MCP tools/call get_contact for a random seeded Id; the answer must carry that Id.</summary>
public sealed class GetContactWorker(HttpClient http, Uri mcp, string authorization, SeededContacts contacts) : Worker(http)
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> CallAsync(CancellationToken ct)
    {
        int i = Random.Shared.Next(contacts.Count);
        var status = await SendAsync(Post(mcp, new ByteArrayContent(contacts.GetRequests[i]), authorization), ct);
        return (status == HttpStatusCode.OK && Body.IndexOf(contacts.ExpectedIdJson[i]) >= 0) || Wrong(status, $"a result with Id {contacts.Ids[i]}");
    }
}

/// <summary>MCP tools/call create_contact with a unique name and email; the answer must carry a new contact Id.</summary>
public sealed class CreateContactWorker(HttpClient http, Uri mcp, string authorization, string runTag, int index) : Worker(http)
{
    static readonly byte[] NewContactId = "\"Id\":\"003"u8.ToArray();
    static readonly byte[] ToolError = "\"isError\":true"u8.ToArray();
    readonly byte[] _body = new byte[1024];
    long _n;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> CallAsync(CancellationToken ct)
    {
        long n = ++_n;
        // The buffer is reused: the previous request has completed before the next one is written.
        if (!Utf8.TryWrite(_body,
                $"{{\"jsonrpc\":\"2.0\",\"id\":{n},\"method\":\"tools/call\",\"params\":{{\"name\":\"create_contact\",\"arguments\":{{\"FirstName\":\"Load\",\"LastName\":\"{runTag}w{index}n{n}\",\"Email\":\"{runTag}w{index}n{n}@bench.example\",\"Title\":\"Benchmark\"}}}}}}",
                out int written))
            throw new InvalidOperationException("create_contact body does not fit its buffer.");
        var status = await SendAsync(Post(mcp, new ByteArrayContent(_body, 0, written), authorization), ct);
        var body = Body;
        return (status == HttpStatusCode.OK && body.IndexOf(NewContactId) >= 0 && body.IndexOf(ToolError) < 0) || Wrong(status, "a new contact Id (003...)");
    }
}

/// <summary>The seeded contacts' Ids with their get_contact request bodies and the bytes the answer must contain.</summary>
public sealed class SeededContacts
{
    public SeededContacts(IReadOnlyList<string> ids)
    {
        Ids = ids.ToArray();
        GetRequests = Ids.Select((id, i) => Encoding.UTF8.GetBytes(
            $$$$"""{"jsonrpc":"2.0","id":{{{{i + 1}}}},"method":"tools/call","params":{"name":"get_contact","arguments":{"Id":"{{{{id}}}}"}}}""")).ToArray();
        // In structuredContent the Id is plain JSON; in the text block quotes are escaped, so this matches only the former.
        ExpectedIdJson = Ids.Select(id => Encoding.UTF8.GetBytes($"\"Id\":\"{id}\"")).ToArray();
    }

    public int Count => Ids.Length;
    public string[] Ids { get; }
    public byte[][] GetRequests { get; }
    public byte[][] ExpectedIdJson { get; }
}
