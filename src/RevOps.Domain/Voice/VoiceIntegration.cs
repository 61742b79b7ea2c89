namespace RevOps.Domain.Voice;

/// <summary>
/// A tenant's voice integration as stored: its settings and the secrets that authenticate the providers'
/// callbacks. A class, not a record, so no generated ToString ever prints a secret into a log.
/// </summary>
public sealed class VoiceIntegration(VoiceSettings settings, string? twilioAuthToken, string? deepgramSecretHash, string? twilioAccountSid = null)
{
    public VoiceSettings Settings { get; } = settings;

    /// <summary>Twilio's auth token, the key of X-Twilio-Signature's HMAC; kept as sent because verifying needs it.</summary>
    public string? TwilioAuthToken { get; } = twilioAuthToken;

    /// <summary>Twilio's Account Sid (AC + 32 hex; not a secret): with the auth token, the basic auth recordings are fetched with.</summary>
    public string? TwilioAccountSid { get; } = twilioAccountSid;

    /// <summary>The SHA-256 (hex) of the Deepgram callback secret; the secret itself is not kept.</summary>
    public string? DeepgramSecretHash { get; } = deepgramSecretHash;
}
