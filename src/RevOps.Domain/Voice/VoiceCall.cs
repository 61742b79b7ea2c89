namespace RevOps.Domain.Voice;

/// <summary>
/// One call as the voice_calls table keeps it: the Task it is logged on (one per CallSid), the recording's URL and
/// the whole transcript. <paramref name="Revision"/> grows with every merge, so a writer can tell it wrote from an old state.
/// </summary>
public sealed record VoiceCall(string CallSid, string TaskId, string? RecordingUrl, string? Transcript, string? TranscriptSource, long Revision);

/// <summary>
/// What one callback adds to a call's row; null parts leave the stored ones as they are. A <paramref name="RecordingSid"/>
/// (with <paramref name="RecordingUrl"/>) queues the recording's fetch in the same transaction, once per Sid.
/// </summary>
public sealed record VoiceCallUpdate(string CallSid, string TaskId, string? RecordingUrl, string? Transcript, string? TranscriptSource, string? RecordingSid = null);

/// <summary>Where a transcript came from; Deepgram's replaces Twilio's, never the other way round.</summary>
public static class TranscriptSources
{
    public const string Twilio = "twilio";
    public const string Deepgram = "deepgram";
}
