using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RevOps.Domain.Voice;
using RevOps.Server.Webhooks;
using RevOps.Storage;

namespace RevOps.Server.Voice;

/// <summary>
/// Fetches call recordings in the background, never inside Twilio's callback (Twilio wants a quick 2xx), from the queue
/// the callback's merge wrote in the database (<see cref="IRecordingFetchQueue"/>): so a recording whose callback was
/// answered is fetched even if the process is killed first, by whichever node next finds it due, starting at start-up.
/// A fetch is claimed under a lease that is moved on while the download runs; a node that dies mid-download lets it lapse.
/// The media is RecordingUrl + ".mp3" (without an extension Twilio serves WAV), with basic auth AccountSid:AuthToken,
/// through the webhooks' SSRF rules (public addresses only unless --allow-private-webhooks; every connection, redirects
/// included, is checked). A failure is tried again with doubling delays (the webhooks' base and cap) up to
/// <see cref="MaxAttempts"/>; an answer that will not change (401, 403, 404) is not. The row keeps the reason it gave up.
/// </summary>
public sealed partial class RecordingFetcher(IHttpClientFactory clients, IRecordingFetchQueue queue, IVoiceStore voice, CallLogger calls, WebhookSettings settings,
    TimeProvider time, ILogger<RecordingFetcher> logger) : BackgroundService
{
    public const string ClientName = "voice-recordings";
    public const int MaxAttempts = 5;
    const int Concurrency = 4;
    static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    readonly ChangeSignal _wake = new();
    readonly InFlightTasks _running = new();

    /// <summary>Look now rather than at the next poll: a callback just queued a fetch.</summary>
    public void Wake() => _wake.Pulse();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = _wake.NextAsync();
            var wait = Poll;
            try
            {
                wait = await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LogPassFailed(e);
            }
            if (wait > TimeSpan.Zero) await Task.WhenAny(woken, Task.Delay(wait, time, stoppingToken));
        }
        await _running.WhenAllAsync();
    }

    /// <summary>One pass; returns how long to wait before the next (zero: go again at once).</summary>
    async Task<TimeSpan> RunOnceAsync(CancellationToken ct)
    {
        int free = Concurrency - _running.Count;
        if (free <= 0) return Poll; // a fetch finishing wakes us
        var now = time.GetUtcNow().UtcDateTime;
        var due = await queue.NextDueAsync(ct);
        if (due is null) return Poll;
        if (due > now) return due.Value - now < Poll ? due.Value - now : Poll;
        var claimed = await queue.ClaimAsync(now, now + settings.Lease, free, ct);
        foreach (var fetch in claimed) Start(fetch, ct);
        return claimed.Count == free ? TimeSpan.Zero : Poll;
    }

    void Start(DueRecordingFetch fetch, CancellationToken ct) => _running.Track(AttemptAsync(fetch, ct), _wake);

    sealed record Result(string Status, string? Error, bool Retry = false);

    sealed class HeldLease(DueRecordingFetch fetch)
    {
        public DueRecordingFetch Fetch { get; set; } = fetch;
    }

    async Task AttemptAsync(DueRecordingFetch fetch, CancellationToken stopping)
    {
        await Task.Yield();
        var held = new HeldLease(fetch);
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var done = new CancellationTokenSource();
        var keeping = KeepLeaseAsync(held, lost, done.Token);
        Result result;
        try
        {
            result = await FetchAsync(fetch, lost.Token);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            // Shutting down, or the lease was lost: the row stays pending and falls due when its lease lapses.
            await done.CancelAsync();
            await keeping;
            return;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            result = new Result(RecordingFetchStatus.Pending, e.Message, Retry: true);
        }
        await done.CancelAsync();
        await keeping;

        var at = time.GetUtcNow().UtcDateTime;
        var outcome = result switch
        {
            { Retry: true } when held.Fetch.Attempt >= MaxAttempts =>
                new RecordingFetchOutcome(RecordingFetchStatus.Failed, $"Gave up after {held.Fetch.Attempt} attempts; the last: {result.Error}", at),
            { Retry: true } => new RecordingFetchOutcome(RecordingFetchStatus.Pending, result.Error, at, at + Backoff(held.Fetch.Attempt)),
            _ => new RecordingFetchOutcome(result.Status, result.Error, at),
        };
        if (result.Retry) LogFailed(fetch.RecordingSid, held.Fetch.Attempt, result.Error ?? "");
        if (outcome.Status == RecordingFetchStatus.Failed) LogGaveUp(fetch.RecordingSid, outcome.Error ?? "");
        try
        {
            if (!await queue.FinishAsync(held.Fetch, outcome, CancellationToken.None)) LogLeaseLost(fetch.RecordingSid);
        }
        catch (Exception e)
        {
            LogRecordFailed(e, fetch.RecordingSid);
        }
    }

    /// <summary>
    /// Moves the lease on every third of its length until the attempt is done. Renewals are not cancelled midway, so the
    /// lease the attempt finishes with is the one stored. A lost lease cancels the download: another node has the fetch.
    /// </summary>
    async Task KeepLeaseAsync(HeldLease held, CancellationTokenSource lost, CancellationToken done)
    {
        while (true)
        {
            try
            {
                await Task.Delay(settings.Lease / 3, time, done);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                var renewed = await queue.RenewAsync(held.Fetch, time.GetUtcNow().UtcDateTime + settings.Lease, CancellationToken.None);
                if (renewed is null)
                {
                    await lost.CancelAsync();
                    return;
                }
                held.Fetch = renewed;
            }
            catch (Exception e)
            {
                LogRecordFailed(e, held.Fetch.RecordingSid);
            }
        }
    }

    TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1), settings.RetryMaxDelay.TotalMilliseconds));

    async Task<Result> FetchAsync(DueRecordingFetch fetch, CancellationToken ct)
    {
        if (await voice.GetAsync(fetch.Tenant, ct) is not { TwilioAccountSid: { } account, TwilioAuthToken: { } token })
            return new(RecordingFetchStatus.Skipped, "The tenant has no Twilio Account Sid and auth token (revops integration twilio --account-sid); the recording stays a link in the Task's Description.");
        var (taskId, stored) = await calls.RecordingTargetAsync(fetch.Tenant, fetch.CallSid, fetch.RecordingSid, ct);
        if (stored) return new(RecordingFetchStatus.Stored, null);
        if (taskId is null) return new(RecordingFetchStatus.Skipped, "The call has no Task to store the recording on.");
        var url = new Uri(fetch.RecordingUrl.TrimEnd('/') + ".mp3");
        if (Refusal(url, account, fetch.RecordingSid) is { } refusal)
        {
            LogRefused(fetch.RecordingSid, refusal);
            return new(RecordingFetchStatus.Failed, refusal);
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account}:{token}")));
        using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            string answer = $"Twilio answered {(int)response.StatusCode}";
            bool again = response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;
            return again ? new(RecordingFetchStatus.Pending, answer, Retry: true)
                : new(RecordingFetchStatus.Failed, answer + (response.StatusCode == HttpStatusCode.Unauthorized ? "; check the tenant's Account Sid and auth token" : ""));
        }
        await using var audio = await response.Content.ReadAsStreamAsync(ct);
        var attached = await calls.AttachRecordingAsync(fetch.Tenant, fetch.CallSid, fetch.RecordingSid, taskId, audio, ct);
        if (attached.IsOk) return new(RecordingFetchStatus.Stored, null);
        LogRefused(fetch.RecordingSid, attached.Error.Message);
        return new(RecordingFetchStatus.Failed, attached.Error.Message);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingSid} was not stored: {Reason}. Its link stays in the Task's Description.")]
    partial void LogGaveUp(string recordingSid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingSid} was not stored: {Reason}")]
    partial void LogRefused(string recordingSid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lease on fetching recording {RecordingSid} was lost; another node has it.")]
    partial void LogLeaseLost(string recordingSid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording the state of fetching recording {RecordingSid} failed; its lease lapses and it is fetched again.")]
    partial void LogRecordFailed(Exception error, string recordingSid);

    [LoggerMessage(Level = LogLevel.Error, Message = "A pass of the recording fetcher failed; the next pass retries.")]
    partial void LogPassFailed(Exception error);

    /// <summary>The fetcher and its HTTP client (redirects followed, each connection checked like a webhook's).</summary>
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
