using System.Text;
using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Voice;

namespace RevOps.Server.Voice;

/// <summary>
/// Deepgram's pre-recorded transcription result, as its callback POSTs it, read into a transcript <see cref="CallEvent"/>.
/// The call it belongs to is the CallSid the request for it carried: Deepgram echoes <c>extra=CallSid:CA…</c> back as
/// <c>metadata.extra.CallSid</c>, or the callback URL carries <c>?CallSid=CA…</c>. The transcript is the speaker-labelled
/// utterances when diarized, else each channel's transcript.
/// </summary>
public static class DeepgramCallback
{
    const string Example = "{\"metadata\": {\"extra\": {\"CallSid\": \"CA…\"}}, \"results\": {\"channels\": [{\"alternatives\": [{\"transcript\": \"…\"}]}]}}";

    public static CrmResult<CallEvent> Parse(JsonElement root, string? callSidFromUrl)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return new CrmError(ErrorCodes.InvalidArgument, $"The body must be Deepgram's transcription result, a JSON object like {Example}.");
        string? sid = callSidFromUrl;
        if (sid is null && Get(root, "metadata", "extra") is { ValueKind: JsonValueKind.Object } extra
            && extra.TryGetProperty("CallSid", out var fromExtra) && fromExtra.ValueKind == JsonValueKind.String)
            sid = fromExtra.GetString();
        if (string.IsNullOrWhiteSpace(sid))
            return new CrmError(ErrorCodes.RequiredFieldMissing,
                "The transcript names no call. Ask Deepgram with extra=CallSid:CA… (it comes back as metadata.extra.CallSid), or add ?CallSid=CA… to the callback URL.", "CallSid");

        var transcript = Utterances(root) ?? Channels(root);
        if (transcript is null)
            return new CrmError(ErrorCodes.InvalidArgument, $"The result holds no transcript: send Deepgram's result with results.channels[].alternatives[].transcript, like {Example}.", "results");
        return new CallEvent(sid.Trim()) { Transcript = transcript, TranscriptSource = TranscriptSources.Deepgram };
    }

    static string? Utterances(JsonElement root)
    {
        if (Get(root, "results", "utterances") is not { ValueKind: JsonValueKind.Array } utterances) return null;
        var text = new StringBuilder();
        foreach (var utterance in utterances.EnumerateArray())
        {
            if (utterance.ValueKind != JsonValueKind.Object || !utterance.TryGetProperty("transcript", out var line) || line.ValueKind != JsonValueKind.String) continue;
            string speaker = utterance.TryGetProperty("speaker", out var s) && s.ValueKind == JsonValueKind.Number ? $"Speaker {s.GetRawText()}: " : "";
            text.Append(speaker).Append(line.GetString()).Append('\n');
        }
        return text.Length == 0 ? null : text.ToString().TrimEnd();
    }

    static string? Channels(JsonElement root)
    {
        if (Get(root, "results", "channels") is not { ValueKind: JsonValueKind.Array } channels) return null;
        var text = new StringBuilder();
        foreach (var channel in channels.EnumerateArray())
        {
            if (channel.ValueKind != JsonValueKind.Object || !channel.TryGetProperty("alternatives", out var alternatives)
                || alternatives.ValueKind != JsonValueKind.Array || alternatives.GetArrayLength() == 0) continue;
            var best = alternatives[0];
            if (best.ValueKind == JsonValueKind.Object && best.TryGetProperty("transcript", out var line) && line.ValueKind == JsonValueKind.String
                && line.GetString() is { Length: > 0 } words)
                text.Append(words).Append('\n');
        }
        return text.Length == 0 ? null : text.ToString().TrimEnd();
    }

    static JsonElement? Get(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return null;
        }
        return element;
    }
}
