using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RevOps.Server.Webhooks;

namespace RevOps.Server.Tests;

/// <summary>
/// A real HTTP receiver on loopback (Kestrel): verifies every request's X-RevOps-Signature with
/// the shared secret and records what arrived, in arrival order. It can answer 503, hold requests,
/// or stop listening altogether (connection refused) and come back on the same port.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Secret = "receiver-test-secret-0123456789";

    public sealed record Received(string Path, string EventId, int Attempt, bool SignatureValid, JsonElement Body, DateTime ArrivedAt);

    public enum Mode { Accept, Unavailable }

    WebApplication? _app;
    readonly ConcurrentQueue<Received> _received = new();
    int _port;

    public Mode Answer { get; set; } = Mode.Accept;

    /// <summary>Set: requests wait for it before being answered (an attempt in flight).</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Completed when the first request arrives (accepted or not).</summary>
    public TaskCompletionSource FirstRequest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Requests => _requests;
    int _requests;

    public Uri Url(string path = "hook") => new($"http://127.0.0.1:{_port}/{path}");

    /// <summary>Accepted requests (2xx answers only), in arrival order.</summary>
    public IReadOnlyList<Received> Accepted => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.ListenAsync();
        return receiver;
    }

    async Task ListenAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{_port}");
        _app = builder.Build();
        _app.MapPost("/{path}", async (string path, HttpContext http) =>
        {
            Interlocked.Increment(ref _requests);
            FirstRequest.TrySetResult();
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            if (Hold is { } hold) await hold.Task;
            if (Answer == Mode.Unavailable) return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            byte[] body = buffer.ToArray();
            bool valid = WebhookSignature.Verify(Secret, http.Request.Headers[WebhookSignature.Header], body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));
            _received.Enqueue(new Received(path, http.Request.Headers[WebhookSender.EventIdHeader].ToString(),
                int.Parse(http.Request.Headers[WebhookSender.AttemptHeader].ToString()), valid, JsonDocument.Parse(body).RootElement.Clone(), DateTime.UtcNow));
            return Results.NoContent();
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _port = new Uri(address).Port;
    }

    /// <summary>Stops listening: senders get connection refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public Task StartAgainAsync() => ListenAsync();

    /// <summary>Waits until <paramref name="condition"/> holds over what was accepted, or fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(Func<IReadOnlyList<Received>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var now = Accepted;
            if (condition(now)) return now;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"receiver condition not met within {timeout.TotalSeconds} s; {now.Count} accepted: {string.Join(", ", now.Select(r => $"{r.Body.GetProperty("operation")}#{r.Body.GetProperty("seq")}"))}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Accepted events, each event id once (first arrival), as at-least-once receivers deduplicate.</summary>
    public static IReadOnlyList<Received> Distinct(IReadOnlyList<Received> received)
    {
        var seen = new HashSet<string>();
        return received.Where(r => seen.Add(r.EventId)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Hold?.TrySetResult();
        await StopAsync();
    }
}
