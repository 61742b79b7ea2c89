namespace RevOps.Domain.Voice;

/// <summary>
/// What one provider callback says about a call (Twilio's status, recording or transcription callback, or Deepgram's
/// transcript): only <see cref="CallSid"/> is always there; each callback fills what it knows and leaves the rest null.
/// </summary>
/// <param name="CallSid">Twilio's call Sid ("CA" and 32 hex digits): the Task's CallObject, one Task per Sid.</param>
public sealed record CallEvent(string CallSid)
{
    public string? From { get; init; }
    public string? To { get; init; }
    /// <summary>Twilio's Direction: inbound, outbound-api or outbound-dial.</summary>
    public string? Direction { get; init; }
    /// <summary>Twilio's CallStatus: queued, ringing, in-progress, completed, busy, no-answer, failed or canceled.</summary>
    public string? CallStatus { get; init; }
    public int? DurationSeconds { get; init; }
    public string? RecordingUrl { get; init; }
    /// <summary>Twilio's RecordingSid ("RE" and 32 hex digits) of a completed recording: each one is fetched and stored once.</summary>
    public string? RecordingSid { get; init; }
    public string? Transcript { get; init; }
    /// <summary>One of <see cref="TranscriptSources"/> when <see cref="Transcript"/> is set.</summary>
    public string? TranscriptSource { get; init; }
}
