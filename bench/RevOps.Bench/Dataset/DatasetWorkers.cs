using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace RevOps.Bench.Dataset;

/// <summary>MCP tools/call from a fixed set of prepared calls, one picked at random per call; correct when the answer holds the call's expected bytes.</summary>
public sealed class ToolCallWorker(HttpClient http, Uri mcp, string authorization, IReadOnlyList<ToolCall> calls, int seed) : Worker(http)
{
    static readonly byte[] ToolError = "\"isError\":true"u8.ToArray();
    readonly Random _random = new(seed);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> CallAsync(CancellationToken ct)
    {
        var call = calls[_random.Next(calls.Count)];
        var status = await SendAsync(Post(mcp, new ByteArrayContent(call.Body), authorization), ct);
        var body = Body;
        return (status == HttpStatusCode.OK && body.IndexOf(call.Expected) >= 0 && body.IndexOf(ToolError) < 0) || Wrong(status, call.Description);
    }
}

/// <summary>MCP get_contact for an Id drawn uniformly from all of them (a working set far bigger than any cache); the answer must carry that Id.</summary>
public sealed class RandomGetContactWorker(HttpClient http, Uri mcp, string authorization, string[] ids, int seed) : Worker(http)
{
    readonly Random _random = new(seed);
    readonly byte[] _body = new byte[256];
    readonly byte[] _expected = new byte[64];

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> CallAsync(CancellationToken ct)
    {
        string id = ids[_random.Next(ids.Length)];
        // Ids are letters and digits only, so they go into the JSON unescaped; the buffers are reused per call.
        if (!Utf8.TryWrite(_body, $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"get_contact\",\"arguments\":{{\"Id\":\"{id}\"}}}}}}", out int written)
            || !Utf8.TryWrite(_expected, $"\"Id\":\"{id}\"", out int expected))
            throw new InvalidOperationException("get_contact body does not fit its buffer.");
        var status = await SendAsync(Post(mcp, new ByteArrayContent(_body, 0, written), authorization), ct);
        return (status == HttpStatusCode.OK && Body.IndexOf(_expected.AsSpan(0, expected)) >= 0) || Wrong(status, $"a result with Id {id}");
    }
}

/// <summary>REST GET /services/data/v60.0/sobjects/Contact/{id} for a random Id; 200 with that Id.</summary>
public sealed class RestGetContactWorker(HttpClient http, Uri api, string authorization, string[] ids, int seed) : Worker(http)
{
    readonly Random _random = new(seed);
    readonly byte[] _expected = new byte[64];

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> CallAsync(CancellationToken ct)
    {
        string id = ids[_random.Next(ids.Length)];
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api, "sobjects/Contact/" + id));
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (!Utf8.TryWrite(_expected, $"\"Id\":\"{id}\"", out int expected)) throw new InvalidOperationException("Id does not fit its buffer.");
        var status = await SendAsync(request, ct);
        return (status == HttpStatusCode.OK && Body.IndexOf(_expected.AsSpan(0, expected)) >= 0) || Wrong(status, $"200 with Id {id}");
    }
}

/// <summary>REST POST /services/data/v60.0/sobjects/Contact with a unique name and email; 201 with success true.</summary>
public sealed class RestCreateContactWorker(HttpClient http, Uri api, string authorization, string runTag, int index) : Worker(http)
{
    static readonly byte[] Success = "\"success\":true"u8.ToArray();
    readonly Uri _contacts = new(api, "sobjects/Contact");
    readonly byte[] _body = new byte[512];
    long _n;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> CallAsync(CancellationToken ct)
    {
        long n = ++_n;
        if (!Utf8.TryWrite(_body, $"{{\"FirstName\":\"Rest\",\"LastName\":\"{runTag}w{index}n{n}\",\"Email\":\"{runTag}w{index}n{n}@bench.example\",\"Title\":\"Benchmark\"}}", out int written))
            throw new InvalidOperationException("Contact body does not fit its buffer.");
        var content = new ByteArrayContent(_body, 0, written);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, _contacts) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        var status = await SendAsync(request, ct);
        return (status == HttpStatusCode.Created && Body.IndexOf(Success) >= 0) || Wrong(status, "201 with \"success\":true");
    }
}

/// <summary>MCP update_opportunity_stage: a random opportunity to a random stage; the answer must show the new stage.</summary>
public sealed class UpdateStageWorker(HttpClient http, Uri mcp, string authorization, string[] opportunityIds, int seed) : Worker(http)
{
    static readonly string[] Stages =
        ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote", "Negotiation/Review", "Closed Won", "Closed Lost"];
    static readonly byte[] ToolError = "\"isError\":true"u8.ToArray();
    readonly Random _random = new(seed);
    readonly byte[] _body = new byte[512];
    readonly byte[] _expected = new byte[64];

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> CallAsync(CancellationToken ct)
    {
        string id = opportunityIds[_random.Next(opportunityIds.Length)];
        string stage = Stages[_random.Next(Stages.Length)];
        if (!Utf8.TryWrite(_body, $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"update_opportunity_stage\",\"arguments\":{{\"Id\":\"{id}\",\"StageName\":\"{stage}\"}}}}}}", out int written)
            || !Utf8.TryWrite(_expected, $"\"StageName\":\"{stage}\"", out int expected))
            throw new InvalidOperationException("update_opportunity_stage body does not fit its buffer.");
        var status = await SendAsync(Post(mcp, new ByteArrayContent(_body, 0, written), authorization), ct);
        var body = Body;
        return (status == HttpStatusCode.OK && body.IndexOf(_expected.AsSpan(0, expected)) >= 0 && body.IndexOf(ToolError) < 0) || Wrong(status, $"{id} at stage {stage}");
    }
}

/// <summary>MCP create_task about a sampled contact and its account, as an agent logs a follow-up; the answer must carry a new Task Id.</summary>
public sealed class CreateTaskWorker(HttpClient http, Uri mcp, string authorization, IReadOnlyList<(string ContactId, string? AccountId)> about, int seed) : Worker(http)
{
    static readonly byte[] NewTaskId = "\"Id\":\"00T"u8.ToArray();
    static readonly byte[] ToolError = "\"isError\":true"u8.ToArray();
    readonly Random _random = new(seed);
    readonly byte[] _body = new byte[512];

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> CallAsync(CancellationToken ct)
    {
        var (contact, account) = about[_random.Next(about.Count)];
        string what = account is null ? "" : $",\"WhatId\":\"{account}\"";
        if (!Utf8.TryWrite(_body, $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"create_task\",\"arguments\":{{\"Subject\":\"Follow up after the call\",\"WhoId\":\"{contact}\"{what},\"Priority\":\"High\",\"ActivityDate\":\"2026-12-15\"}}}}}}", out int written))
            throw new InvalidOperationException("create_task body does not fit its buffer.");
        var status = await SendAsync(Post(mcp, new ByteArrayContent(_body, 0, written), authorization), ct);
        var body = Body;
        return (status == HttpStatusCode.OK && body.IndexOf(NewTaskId) >= 0 && body.IndexOf(ToolError) < 0) || Wrong(status, "a new task Id (00T...)");
    }
}

/// <summary>
/// An agent's mix: each call is one of the inner workers, drawn by weight (searches, reads, a task
/// logged, a stage moved, a SOQL report). Counts as correct when the inner call was.
/// </summary>
public sealed class MixedWorker(HttpClient http, IReadOnlyList<(Worker Worker, double Weight)> blend, int seed) : Worker(http)
{
    readonly Random _random = new(seed);
    readonly double _total = blend.Sum(b => b.Weight);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> CallAsync(CancellationToken ct)
    {
        double pick = _random.NextDouble() * _total;
        var worker = blend[^1].Worker;
        foreach (var (candidate, weight) in blend)
        {
            if (pick < weight)
            {
                worker = candidate;
                break;
            }
            pick -= weight;
        }
        if (await worker.CallAsync(ct)) return true;
        Explain(worker.FirstError is { } why ? $"{worker.GetType().Name}: {why}" : null);
        return false;
    }
}
