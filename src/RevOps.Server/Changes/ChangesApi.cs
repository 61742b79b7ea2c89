using System.Buffers;
using System.Text.Json;
using RevOps.Domain.Changes;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Server.Auth;
using RevOps.Server.Hosting;
using RevOps.Server.Json;

namespace RevOps.Server.Changes;

/// <summary>
/// The change feed over HTTP for consumers that are not agents: GET /api/changes?since=SEQ as JSON
/// lines, and GET /api/changes/stream as server-sent events whose ids are sequences, so a client
/// that reconnects with Last-Event-ID resumes exactly where it stopped.
/// </summary>
public static class ChangesApi
{
    const string Channel = "rest";
    const int StreamPage = 500;

    public static RouteGroupBuilder MapChangesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/changes").RequireAuthorization();
        api.MapGet("", ListAsync);
        api.MapGet("/stream", StreamAsync);
        return api;
    }

    /// <summary>One change per line, oldest first; X-RevOps-Has-More says whether to ask again with since = the last line's seq.</summary>
    /// <remarks>?actor= narrows to one user's changes: a User Id, or a name, email or username that names one user.</remarks>
    static async Task<IResult> ListAsync(HttpContext http, string? since, string? limit, string? actor, ChangeService changes, CancellationToken ct)
    {
        if (Reader(http) is not { } caller) return Forbidden();
        if (!TryParse(since, 0, out long after)) return BadRequest("since", $"since must be a change sequence number, e.g. ?since=0 for the first change; '{since}' was sent.");
        if (!TryParse(limit, ChangeService.MaxLimit, out long max) || max > int.MaxValue)
            return BadRequest("limit", $"limit must be a whole number from 1 to {ChangeService.MaxLimit}, e.g. ?limit=100; '{limit}' was sent.");
        var page = await changes.ListAsync(caller, new ChangeFilter(after, (int)max), ct, actor);
        if (!page.IsOk) return BadRequest(page.Error);

        http.Response.Headers["X-RevOps-Has-More"] = page.Value.HasMore ? "true" : "false";
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            foreach (var change in page.Value.Changes)
            {
                ChangeJson.Write(writer, change);
                writer.Flush();
                buffer.Write("\n"u8);
                writer.Reset();
            }
        return TypedResults.Bytes(buffer.WrittenMemory.ToArray(), "application/x-ndjson; charset=utf-8");
    }

    /// <summary>
    /// Sends every change after since (or Last-Event-ID) and then each new one as it commits: the
    /// commit path wakes this loop, and a heartbeat interval bounds how long it waits before
    /// re-reading the log anyway (other nodes' commits) and sending a comment to keep proxies open.
    /// </summary>
    public static Task StreamAsync(HttpContext http, string? since, IChangeStore store, RevOpsOptions options, CancellationToken ct) =>
        StreamMatchingAsync(http, since, store, options, null, ct);

    /// <summary>
    /// The stream narrowed on the server to the changes <paramref name="keep"/> accepts (the console's feed filters). The others are
    /// read and skipped, never sent, so the position still moves past them and the wait for the next commit stays a wait.
    /// </summary>
    public static async Task StreamMatchingAsync(HttpContext http, string? since, IChangeStore store, RevOpsOptions options, Func<ChangeRow, bool>? keep, CancellationToken ct)
    {
        if (Reader(http) is not { } caller)
        {
            await Forbidden().ExecuteAsync(http);
            return;
        }
        string? lastEventId = http.Request.Headers["Last-Event-ID"].ToString();
        string? start = string.IsNullOrWhiteSpace(lastEventId) ? since : lastEventId;
        if (!TryParse(start, 0, out long after))
        {
            await BadRequest("since", $"since (or Last-Event-ID) must be a change sequence number, e.g. ?since=0; '{start}' was sent.").ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        var body = http.Response.BodyWriter;
        body.Write(StreamOpened);
        await body.FlushAsync(ct);

        var buffer = new ArrayBufferWriter<byte>();
        await using var json = new Utf8JsonWriter(buffer);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var page = await store.ListAsync(caller.Tenant, new ChangeFilter(after, StreamPage), ct);
                int sent = 0;
                foreach (var change in page)
                {
                    after = change.Seq;
                    if (keep is not null && !keep(change)) continue;
                    sent++;
                    body.Write("id: "u8);
                    WriteNumber(body, change.Seq);
                    body.Write("\nevent: change\ndata: "u8);
                    buffer.Clear();
                    json.Reset(buffer);
                    ChangeJson.Write(json, change);
                    json.Flush();
                    body.Write(buffer.WrittenSpan);
                    body.Write("\n\n"u8);
                }
                if (page.Count == StreamPage)
                {
                    await body.FlushAsync(ct);
                    continue;
                }
                if (sent == 0) body.Write(Heartbeat);
                await body.FlushAsync(ct);
                await store.WaitForChangeAsync(caller.Tenant, after, options.ChangeStreamHeartbeat, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away: the stream simply ends.
        }
    }

    // The first comment shows the client it is connected before any change arrives; retry tells EventSource how soon to reconnect.
    static ReadOnlySpan<byte> StreamOpened => ": connected\nretry: 2000\n\n"u8;

    static ReadOnlySpan<byte> Heartbeat => ": heartbeat\n\n"u8;

    static void WriteNumber(IBufferWriter<byte> body, long value)
    {
        Span<byte> digits = stackalloc byte[20];
        System.Buffers.Text.Utf8Formatter.TryFormat(value, digits, out int written);
        body.Write(digits[..written]);
    }

    static Caller? Reader(HttpContext http) =>
        CallerClaims.FromPrincipal(http.User, Channel) is { } caller && caller.Scopes.HasFlag(Scopes.Read) ? caller : null;

    static bool TryParse(string? text, long fallback, out long value)
    {
        value = fallback;
        if (string.IsNullOrWhiteSpace(text)) return true;
        return long.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    static IResult Forbidden() =>
        TypedResults.Json(new ErrorBody("insufficient_access", "Reading changes needs an API key with the read scope."), ServerJson.Default.ErrorBody, statusCode: StatusCodes.Status403Forbidden);

    static IResult BadRequest(string field, string message) =>
        TypedResults.Json(new ErrorBody("invalid_argument", $"{field}: {message}"), ServerJson.Default.ErrorBody, statusCode: StatusCodes.Status400BadRequest);

    static IResult BadRequest(CrmError error) =>
        TypedResults.Json(new ErrorBody(error.Code.ToLowerInvariant(), error.Message), ServerJson.Default.ErrorBody, statusCode: StatusCodes.Status400BadRequest);
}
