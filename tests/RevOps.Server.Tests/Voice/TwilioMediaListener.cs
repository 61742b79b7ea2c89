using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RevOps.Server.Tests.Voice;

/// <summary>
/// Plays Twilio's recording media endpoint on loopback: GET /2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}.mp3
/// answers the recording's bytes to basic auth AccountSid:AuthToken of the account, 401 to anything else; it can answer
/// 503 to a recording's first requests (a Twilio outage), or hold a recording's answers until <see cref="Release"/> (a slow
/// download, so a test can kill the server while the fetch is in flight; a held request is listed with status 0).
/// </summary>
public sealed class TwilioMediaListener : IAsyncDisposable
{
    readonly WebApplication _app;
    readonly ConcurrentDictionary<string, byte[]> _media = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, int> _outages = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<(string Path, int Status)> _requests = new();
    readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);
    readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string AccountSid { get; } = "AC" + Guid.NewGuid().ToString("N");
    public string AuthToken { get; } = Guid.NewGuid().ToString("N");
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Every request (path and the status answered), in arrival order.</summary>
    public IReadOnlyList<(string Path, int Status)> Requests => [.. _requests];

    TwilioMediaListener()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/{**path}", async (string path, HttpContext http) =>
        {
            string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
            int status = http.Request.Headers.Authorization.ToString() != expected ? 401
                : !_media.TryGetValue(path, out _) ? 404
                : TakeOutage(path) ? 503 : 200;
            if (status == 200 && _held.ContainsKey(path) && !_release.Task.IsCompleted)
            {
                _requests.Enqueue(("/" + path, 0));
                await _release.Task;
                return Results.Bytes(_media[path], "audio/mpeg");
            }
            _requests.Enqueue(("/" + path, status));
            return status == 200 ? Results.Bytes(_media[path], "audio/mpeg") : Results.StatusCode(status);
        });
    }

    bool TakeOutage(string path)
    {
        lock (_outages)
        {
            if (!_outages.TryGetValue(path, out int left) || left <= 0) return false;
            _outages[path] = left - 1;
            return true;
        }
    }

    public static async Task<TwilioMediaListener> StartAsync()
    {
        var listener = new TwilioMediaListener();
        await listener._app.StartAsync();
        listener.BaseUri = new Uri(listener._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return listener;
    }

    /// <summary>A new recording of this account serving <paramref name="bytes"/>: its Sid and its RecordingUrl (without extension, as Twilio sends it).</summary>
    public (string Sid, string Url) AddRecording(byte[] bytes, int outages = 0, bool held = false)
    {
        string sid = "RE" + Guid.NewGuid().ToString("N");
        string path = $"2010-04-01/Accounts/{AccountSid}/Recordings/{sid}";
        _media[path + ".mp3"] = bytes;
        if (outages > 0) _outages[path + ".mp3"] = outages;
        if (held) _held[path + ".mp3"] = 0;
        return (sid, new Uri(BaseUri, path).ToString());
    }

    /// <summary>Answers the held requests, and every later one at once.</summary>
    public void Release() => _release.TrySetResult();

    public int RequestsFor(string recordingSid) => Requests.Count(r => r.Path.Contains(recordingSid, StringComparison.Ordinal));

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
