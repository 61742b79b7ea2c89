using System.Globalization;
using RevOps.Domain.Errors;
using RevOps.Domain.Voice;
using RevOps.Server.Auth;
using RevOps.Server.Json;

namespace RevOps.Server.Voice;

/// <summary>
/// GET /api/voice/calls?q=pricing: the caller's logged calls whose transcript holds the words, each with its Task and the
/// transcript lines that matched (the Description keeps only the first lines; the whole transcript is searched).
/// GET /api/voice/calls/{callSid}/recordings: how the fetches of the call's recordings stand.
/// </summary>
public static class VoiceCallsApi
{
    const int MaxLines = 3;

    public static RouteGroupBuilder MapVoiceCallsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/voice/calls").RequireAuthorization();
        api.MapGet("", SearchAsync);
        api.MapGet("/{callSid}/recordings", RecordingsAsync);
        return api;
    }

    /// <summary>
    /// The call's recordings and how their fetches from Twilio stand (pending, stored, skipped, failed with the reason),
    /// so an operator can see why a recording stayed a link. Another tenant's CallSid answers an empty list, as an unknown one does.
    /// </summary>
    static async Task<IResult> RecordingsAsync(string callSid, HttpContext http, IRecordingFetchQueue fetches, CancellationToken ct)
    {
        var caller = ApiCaller.Of(http) ?? throw new InvalidOperationException("/api endpoints run behind RequireAuthorization.");
        if (!CallLogger.IsCallSid(callSid))
            return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, "callSid must be Twilio's call Sid: \"CA\" and 32 hex digits, as in the Task's CallObject.", "callSid"));
        var states = await fetches.ListAsync(caller.Tenant, callSid, ct);
        return ApiJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteString("callSid", callSid);
            w.WriteStartArray("recordings");
            foreach (var state in states)
            {
                w.WriteStartObject();
                w.WriteString("recordingSid", state.RecordingSid);
                w.WriteString("recordingUrl", state.RecordingUrl);
                w.WriteString("status", state.Status);
                w.WriteNumber("attempts", state.Attempts);
                w.WriteString("lastError", state.LastError);
                ApiJson.WriteTime(w, "createdAt", state.CreatedAt);
                ApiJson.WriteTime(w, "finishedAt", state.FinishedAt);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    static async Task<IResult> SearchAsync(HttpContext http, CallLogger calls, CancellationToken ct)
    {
        var caller = ApiCaller.Of(http) ?? throw new InvalidOperationException("/api endpoints run behind RequireAuthorization.");
        string? q = http.Request.Query["q"].FirstOrDefault();
        int limit = CallLogger.MaxSearchResults;
        if (http.Request.Query["limit"].FirstOrDefault() is { } text && !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit))
            return ApiJson.Error(new CrmError(ErrorCodes.InvalidArgument, $"limit must be a whole number from 1 to {CallLogger.MaxSearchResults}.", "limit"));
        var found = await calls.SearchAsync(caller, q, limit, ct);
        if (!found.IsOk) return ApiJson.Error(found.Error);
        return ApiJson.Ok(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("count", found.Value.Count);
            w.WriteStartArray("calls");
            foreach (var call in found.Value)
            {
                w.WriteStartObject();
                w.WriteString("callSid", call.CallSid);
                w.WriteString("taskId", call.TaskId);
                w.WriteString("transcriptSource", call.TranscriptSource);
                w.WriteStartArray("lines");
                foreach (var line in (call.Transcript ?? "").Split('\n').Where(l => l.Contains(q!.Trim(), StringComparison.OrdinalIgnoreCase)).Take(MaxLines))
                    w.WriteStringValue(line);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
