using System.Globalization;
using Microsoft.AspNetCore.Http;
using RevOps.Domain.Errors;
using RevOps.Domain.Voice;

namespace RevOps.Server.Voice;

/// <summary>
/// Twilio's form-encoded voice callbacks read into one <see cref="CallEvent"/>: the status callback (CallStatus, From, To,
/// Direction, CallDuration), the recording callback (RecordingUrl once RecordingStatus is completed) and the transcription
/// callback (TranscriptionText once TranscriptionStatus is completed). Parameters Twilio adds and we do not use are ignored.
/// </summary>
public static class TwilioCallback
{
    /// <summary>Longer than any value Twilio sends in these fields; a transcription may be long, the Description clips it.</summary>
    const int MaxFieldLength = 2048;

    public static CrmResult<CallEvent> Parse(IFormCollection form)
    {
        string? Field(string name) => form.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrWhiteSpace(values[0]) ? values[0]!.Trim() : null;

        if (Field("CallSid") is not { } sid)
            return new CrmError(ErrorCodes.RequiredFieldMissing, "The callback has no CallSid. Point Twilio's status, recording and transcription callbacks of a call at this URL; each carries CallSid.", "CallSid");
        foreach (var name in new[] { "From", "To", "Direction", "CallStatus", "CallDuration", "RecordingUrl", "RecordingStatus", "TranscriptionStatus" })
            if (Field(name) is { Length: > MaxFieldLength })
                return new CrmError(ErrorCodes.InvalidArgument, $"{name} is longer than the {MaxFieldLength} characters Twilio ever sends; this is not a Twilio callback.", name);

        int? duration = null;
        if (Field("CallDuration") is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
                return new CrmError(ErrorCodes.InvalidArgument, $"CallDuration must be a whole number of seconds; '{Clip(text)}' was sent.", "CallDuration");
            duration = seconds;
        }

        string? recording = Field("RecordingUrl");
        if (recording is not null && !IsHttpUrl(recording))
            return new CrmError(ErrorCodes.InvalidArgument, $"RecordingUrl must be an http(s) URL such as Twilio's https://api.twilio.com/…/Recordings/RE…; '{Clip(recording)}' was sent.", "RecordingUrl");
        bool recordingDone = Field("RecordingStatus") is null or "completed";
        string? recordingSid = Field("RecordingSid");
        if (recordingSid is not null && !IsSid(recordingSid, "RE"))
            return new CrmError(ErrorCodes.InvalidArgument, $"RecordingSid must be Twilio's recording Sid, \"RE\" and 32 hex digits; '{Clip(recordingSid)}' was sent.", "RecordingSid");
        bool transcriptDone = Field("TranscriptionStatus") is null or "completed";
        string? transcript = transcriptDone ? Field("TranscriptionText") : null;

        return new CallEvent(sid)
        {
            From = Field("From"),
            To = Field("To"),
            Direction = Field("Direction"),
            CallStatus = Field("CallStatus"),
            DurationSeconds = duration,
            RecordingUrl = recordingDone ? recording : null,
            RecordingSid = recordingDone && recording is not null ? recordingSid : null,
            Transcript = transcript,
            TranscriptSource = transcript is null ? null : TranscriptSources.Twilio,
        };
    }

    static bool IsHttpUrl(string text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    static bool IsSid(string text, string prefix) =>
        text.Length == 34 && text.StartsWith(prefix, StringComparison.Ordinal) && text.AsSpan(2).IndexOfAnyExcept("0123456789abcdefABCDEF") < 0;

    static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
