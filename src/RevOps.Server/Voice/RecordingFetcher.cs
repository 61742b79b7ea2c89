using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Voice;
using RevOps.Server.Webhooks;

namespace RevOps.Server.Voice;

/// <summary>A completed recording to fetch from Twilio and store on its call's Task.</summary>
public sealed record RecordingFetch(TenantId Tenant, string CallSid, string RecordingSid, string RecordingUrl, int Attempt = 1);

/// <summary>
/// Fetches call recordings in the background, never inside Twilio's callback (Twilio wants a quick 2xx): the media at
/// RecordingUrl + ".mp3" (without an extension Twilio serves WAV), with basic auth AccountSid:AuthToken, through the
/// webhooks' SSRF rules (public addresses only unless --allow-private-webhooks; every connection, redirects included, is
/// checked). A failure is tried again with doubling delays (the webhooks' base and cap) up to <see cref="MaxAttempts"/>;
/// an answer that will not change (401, 403, 404) is not. A tenant without an Account Sid gets nothing fetched.
/// </summary>
public sealed partial class RecordingFetcher(IHttpClientFactory clients, IVoiceStore voice, CallLogger calls, WebhookSettings settings, ILogger<RecordingFetcher> logger)
    : BackgroundService
{
    public const string ClientName = "voice-recordings";
    public const int MaxAttempts = 5;

    readonly Channel<RecordingFetch> _queue = Channel.CreateBounded<RecordingFetch>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Queues a recording of a callback just logged; false when the queue is full (the link stays in the Description).</summary>
    public bool Enqueue(RecordingFetch fetch) => _queue.Writer.TryWrite(fetch);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var fetch in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            bool retry;
            try
            {
                retry = await FetchAsync(fetch, stoppingToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                LogFailed(fetch.RecordingSid, fetch.Attempt, e.Message);
                retry = true;
            }
            if (retry && fetch.Attempt < MaxAttempts) _ = RetryLaterAsync(fetch with { Attempt = fetch.Attempt + 1 }, stoppingToken);
            else if (retry) LogGaveUp(fetch.RecordingSid, fetch.Attempt);
        }
    }

    async Task RetryLaterAsync(RecordingFetch fetch, CancellationToken ct)
    {
        double ms = Math.Min(settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, fetch.Attempt - 2), settings.RetryMaxDelay.TotalMilliseconds);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ms), ct);
            Enqueue(fetch);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the link stays in the Description.
        }
    }

    /// <returns>Whether to try again.</returns>
    async Task<bool> FetchAsync(RecordingFetch fetch, CancellationToken ct)
    {
        if (await voice.GetAsync(fetch.Tenant, ct) is not { TwilioAccountSid: { } account, TwilioAuthToken: { } token }) return false;
        if (await calls.RecordingTargetAsync(fetch.Tenant, fetch.CallSid, fetch.RecordingSid, ct) is not { } taskId) return false;
        var url = new Uri(fetch.RecordingUrl.TrimEnd('/') + ".mp3");
        if (Refusal(url, account, fetch.RecordingSid) is { } refusal)
        {
            LogRefused(fetch.RecordingSid, refusal);
            return false;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account}:{token}")));
        using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            LogFailed(fetch.RecordingSid, fetch.Attempt, $"Twilio answered {(int)response.StatusCode}");
            return response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
        }
        await using var audio = await response.Content.ReadAsStreamAsync(ct);
        var stored = await calls.AttachRecordingAsync(fetch.Tenant, fetch.CallSid, fetch.RecordingSid, taskId, audio, ct);
        if (!stored.IsOk) LogRefused(fetch.RecordingSid, stored.Error.Message);
        return false;
    }

    /// <summary>
    /// The account's credentials go only to this account's recording: the URL's path must be …/Accounts/{AccountSid}/Recordings/{RecordingSid},
    /// and its host Twilio's over https (any host, http too, only when the operator allows private webhook targets).
    /// </summary>
    string? Refusal(Uri url, string account, string recordingSid)
    {
        if (!url.AbsolutePath.EndsWith($"/Accounts/{account}/Recordings/{recordingSid}.mp3", StringComparison.Ordinal))
            return "RecordingUrl is not this account's recording of that RecordingSid";
        if (settings.AllowPrivateTargets) return null;
        return url.Scheme == Uri.UriSchemeHttps && (url.Host == "api.twilio.com" || url.Host.EndsWith(".twilio.com", StringComparison.Ordinal))
            ? null : "RecordingUrl is not https on a twilio.com host";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Fetching recording {RecordingSid} failed (attempt {Attempt}): {Reason}")]
    partial void LogFailed(string recordingSid, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingSid} was not stored after {Attempts} attempts; its link stays in the Task's Description")]
    partial void LogGaveUp(string recordingSid, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingSid} was not stored: {Reason}")]
    partial void LogRefused(string recordingSid, string reason);

    /// <summary>The fetcher, its queue and its HTTP client (redirects followed, each connection checked like a webhook's).</summary>
    public static IServiceCollection AddRecordingFetcher(IServiceCollection services, WebhookSettings settings)
    {
        services.AddHttpClient(ClientName, client =>
            {
                client.Timeout = TimeSpan.FromMinutes(5);
                client.DefaultRequestHeaders.UserAgent.ParseAdd($"RevOps-Voice/{Hosting.ServerVersion.Current}");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = true,
                MaxAutomaticRedirections = 3,
                UseCookies = false,
                ConnectTimeout = settings.AttemptTimeout,
                ConnectCallback = WebhookTargets.ConnectCallback(settings.AllowPrivateTargets),
            });
        services.AddSingleton<RecordingFetcher>();
        services.AddHostedService(sp => sp.GetRequiredService<RecordingFetcher>());
        return services;
    }
}
