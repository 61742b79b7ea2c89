using System.Security.Cryptography;
using System.Text;
using RevOps.Domain.Audit;
using RevOps.Domain.Errors;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;

namespace RevOps.Domain.Voice;

/// <summary>
/// A tenant's voice integration set by its admins: Twilio's auth token (X-Twilio-Signature's key), the Deepgram callback
/// secret (only its hash is kept), and the settings calls are logged by. Secrets go in and are never given back.
/// </summary>
public sealed class VoiceIntegrationService(IVoiceStore store, UserService users, TimeProvider time)
{
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 256;

    /// <summary>What may be shown of a tenant's integration: settings, and whether each secret is set.</summary>
    public sealed record Status(VoiceSettings Settings, bool TwilioConfigured, bool DeepgramConfigured, string? TwilioAccountSid = null);

    public async Task<Status> GetAsync(TenantId tenant, CancellationToken ct)
    {
        var stored = await store.GetAsync(tenant, ct);
        return new Status(stored?.Settings ?? VoiceSettings.Default, stored?.TwilioAuthToken is not null, stored?.DeepgramSecretHash is not null, stored?.TwilioAccountSid);
    }

    /// <summary>Sets the auth token, the Account Sid, or both (null leaves one as it is); both are checked before either is stored.</summary>
    public async Task<CrmResult<Status>> SetTwilioAsync(TenantId tenant, string? token, string? accountSid, AuditSource by, CancellationToken ct)
    {
        if (token is null && accountSid is null)
            return new CrmError(ErrorCodes.InvalidArgument, "Send Twilio's auth token, its Account Sid, or both.", "auth_token");
        if (token is not null && CheckTwilioAuthToken(token) is { } bad) return bad;
        if (accountSid is not null && CheckTwilioAccountSid(accountSid) is { } badSid) return badSid;
        var now = Now();
        var details = AuditDetails.Of(("secret", token is null ? null : "auth_token"), ("account_sid", accountSid?.Trim()));
        await store.SetTwilioAsync(tenant, token?.Trim(), accountSid?.Trim(), now, by.Entry(tenant, now, AuditActions.IntegrationSet, "twilio", details), ct);
        return await GetAsync(tenant, ct);
    }

    public Task<CrmResult<Status>> SetTwilioAuthTokenAsync(TenantId tenant, string? token, AuditSource by, CancellationToken ct) =>
        token is null ? Task.FromResult<CrmResult<Status>>(CheckTwilioAuthToken(null)!) : SetTwilioAsync(tenant, token, null, by, ct);

    /// <summary>Null when the text is a Twilio Account Sid ("AC" and 32 hex digits), else why not.</summary>
    public static CrmError? CheckTwilioAccountSid(string? sid) =>
        sid?.Trim() is { Length: 34 } s && s.StartsWith("AC", StringComparison.Ordinal) && s.AsSpan(2).IndexOfAnyExcept("0123456789abcdefABCDEF") < 0 ? null
            : new CrmError(ErrorCodes.InvalidArgument,
                "A Twilio Account Sid is \"AC\" and 32 hex digits (Twilio Console → Account → Account Info → Account SID). It is needed to fetch call recordings.", "account_sid");

    public async Task<CrmResult<Status>> SetDeepgramSecretAsync(TenantId tenant, string? secret, AuditSource by, CancellationToken ct)
    {
        if (CheckDeepgramSecret(secret) is { } bad) return bad;
        var now = Now();
        await store.SetDeepgramSecretAsync(tenant, Hash(secret!.Trim()), now, by.Entry(tenant, now, AuditActions.IntegrationSet, "deepgram", AuditDetails.Of(("secret", "callback_secret"))), ct);
        return await GetAsync(tenant, ct);
    }

    /// <summary>Null when the text can be Twilio's auth token (32 hex digits), else why not.</summary>
    public static CrmError? CheckTwilioAuthToken(string? token) =>
        token?.Trim() is { Length: 32 } t && t.AsSpan().IndexOfAnyExcept("0123456789abcdefABCDEF") < 0 ? null
            : new CrmError(ErrorCodes.InvalidArgument,
                "A Twilio auth token is 32 hex digits (Twilio Console → Account → API keys & tokens → Auth token). Send the account's primary auth token; API key secrets do not sign webhooks.", "auth_token");

    /// <summary>Null when the text can be a Deepgram callback secret, else why not.</summary>
    public static CrmError? CheckDeepgramSecret(string? secret) =>
        secret?.Trim() is { Length: >= MinSecretLength and <= MaxSecretLength } s && !s.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c == ':') ? null
            : new CrmError(ErrorCodes.InvalidArgument,
                $"The Deepgram callback secret must be {MinSecretLength} to {MaxSecretLength} printable characters without spaces or colons, e.g. the output of `openssl rand -hex 32`.", "secret");

    /// <summary>Changes the settings named (null leaves one as it is); an owner is named by User Id, username or email, "" clears it. A dry run checks and stores nothing.</summary>
    public async Task<CrmResult<Status>> SetSettingsAsync(TenantId tenant, string? region, string? unmatched, string? defaultOwner, AuditSource by, CancellationToken ct, bool dryRun = false)
    {
        var settings = (await store.GetAsync(tenant, ct))?.Settings ?? VoiceSettings.Default;
        if (region is not null)
        {
            if (!PhoneNormalizer.IsRegion(region.Trim()))
                return new CrmError(ErrorCodes.InvalidArgument, $"'{Clip(region)}' is not a region phone numbers are known for. Send a two-letter ISO 3166 code such as US, GB or DE.", "default_region");
            settings = settings with { DefaultRegion = region.Trim().ToUpperInvariant() };
        }
        if (unmatched is not null)
        {
            if (VoiceSettings.ParseUnmatched(unmatched) is not { } parsed)
                return new CrmError(ErrorCodes.InvalidArgument, $"unmatched must be lead (create a Lead for an unknown caller) or log (log the call with no Contact or Lead); got '{Clip(unmatched)}'.", "unmatched");
            settings = settings with { Unmatched = parsed };
        }
        if (defaultOwner is not null)
        {
            if (defaultOwner.Trim().Length == 0) settings = settings with { DefaultOwnerId = null };
            else
            {
                var user = await users.FindAsync(tenant, defaultOwner, ct);
                if (!user.IsOk) return user.Error;
                if (!user.Value.IsActive)
                    return new CrmError(ErrorCodes.InvalidArgument, $"User {user.Value.Username} is inactive and cannot own calls. Name an active user, or activate this one first.", "default_owner");
                settings = settings with { DefaultOwnerId = user.Value.Id };
            }
        }
        if (dryRun) return (await GetAsync(tenant, ct)) with { Settings = settings };
        var now = Now();
        var details = AuditDetails.Of(("default_region", settings.DefaultRegion), ("unmatched", VoiceSettings.Text(settings.Unmatched)), ("default_owner", settings.DefaultOwnerId));
        await store.SetSettingsAsync(tenant, settings, now, by.Entry(tenant, now, AuditActions.IntegrationSet, "voice", details), ct);
        return await GetAsync(tenant, ct);
    }

    /// <summary>
    /// Whether a Twilio callback is signed with the tenant's auth token: <paramref name="signedWith"/> checks the signature
    /// with a token (Twilio's RequestValidator). False when the tenant (or its token) is unknown.
    /// </summary>
    public async Task<bool> IsSignedByTwilioAsync(TenantId tenant, Func<string, bool> signedWith, CancellationToken ct) =>
        (await store.GetAsync(tenant, ct))?.TwilioAuthToken is { } token && signedWith(token);

    /// <summary>Whether a Deepgram callback presented the tenant's callback secret.</summary>
    public async Task<bool> IsDeepgramSecretAsync(TenantId tenant, string? presented, CancellationToken ct) =>
        !string.IsNullOrEmpty(presented) && IsDeepgramSecret(await store.GetAsync(tenant, ct), presented);

    /// <summary>Whether a callback presented the tenant's Deepgram secret (compared as hashes, in constant time).</summary>
    public static bool IsDeepgramSecret(VoiceIntegration? integration, string? presented)
    {
        if (integration?.DeepgramSecretHash is not { } expected || string.IsNullOrEmpty(presented) || presented.Length > MaxSecretLength) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(expected));
    }

    static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;

    DateTime Now() => time.GetUtcNow().UtcDateTime;
}
