using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RevOps.Domain.Webhooks;

namespace RevOps.Server.Webhooks;

/// <summary>One attempt: POST the event's stored body, signed with a fresh timestamp; a 2xx answer delivers it.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider time, WebhookSettings settings)
{
    public const string ClientName = "revops-webhooks";
    public const string EventIdHeader = "X-RevOps-Event-Id";
    public const string AttemptHeader = "X-RevOps-Attempt";
    static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };

    public sealed record Result(bool Delivered, int? StatusCode, double LatencyMs, string? Error);

    /// <summary>Throws only <see cref="OperationCanceledException"/> for <paramref name="ct"/> (shutdown): the attempt then counts for nothing and its lease lapses.</summary>
    public async Task<Result> SendAsync(DueDelivery delivery, CancellationToken ct)
    {
        byte[] body = Encoding.UTF8.GetBytes(delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation(WebhookSignature.Header, WebhookSignature.Create(delivery.Secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.TryAddWithoutValidation(EventIdHeader, delivery.Id);
        request.Headers.TryAddWithoutValidation(AttemptHeader, delivery.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));

        long started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            int code = (int)response.StatusCode;
            return code is >= 200 and < 300
                ? new Result(true, code, ms, null)
                : new Result(false, code, ms, $"HTTP {code} {response.ReasonPhrase}".TrimEnd());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or OperationCanceledException)
        {
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            string error = e switch
            {
                TimeoutRejectedException or OperationCanceledException => $"timed out after {settings.AttemptTimeout.TotalSeconds:0.#} s without response headers",
                BrokenCircuitException => "not sent: recent attempts to this host failed, so its circuit is open for a few seconds",
                _ => e.Message,
            };
            return new Result(false, null, ms, error);
        }
    }
}
