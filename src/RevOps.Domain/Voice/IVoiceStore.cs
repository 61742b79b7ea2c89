using RevOps.Domain.Audit;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Voice;

/// <summary>Each tenant's voice integration (settings and callback secrets) and its calls' rows.</summary>
public interface IVoiceStore
{
    /// <summary>The tenant's integration, or null when nothing was ever set.</summary>
    Task<VoiceIntegration?> GetAsync(TenantId tenant, CancellationToken ct);

    /// <summary>Stores Twilio's auth token and/or Account Sid (null keeps the stored one) with the audit row, in one transaction.</summary>
    Task SetTwilioAsync(TenantId tenant, string? authToken, string? accountSid, DateTime at, AuditEntry audit, CancellationToken ct);

    /// <summary>Stores the hash of the Deepgram callback secret with the audit row, in one transaction.</summary>
    Task SetDeepgramSecretAsync(TenantId tenant, string secretHash, DateTime at, AuditEntry audit, CancellationToken ct);

    /// <summary>Stores the settings with the audit row, in one transaction.</summary>
    Task SetSettingsAsync(TenantId tenant, VoiceSettings settings, DateTime at, AuditEntry audit, CancellationToken ct);

    /// <summary>The Task a call is logged on: its voice_calls row's, else a live Task whose CallObject is the CallSid (indexed).</summary>
    Task<string?> FindTaskAsync(TenantId tenant, string callSid, CancellationToken ct);

    /// <summary>
    /// Adds what <paramref name="update"/> knows to the call's row (created on first sight) in one statement, and queues its
    /// recording's fetch (<see cref="IRecordingFetchQueue"/>) in the same transaction; returns the row as it now stands.
    /// </summary>
    Task<VoiceCall> MergeCallAsync(TenantId tenant, VoiceCallUpdate update, DateTime at, CancellationToken ct);

    /// <summary>Calls of live Tasks whose transcript contains <paramref name="words"/> (case-insensitive), most recently changed first.</summary>
    Task<IReadOnlyList<VoiceCall>> SearchTranscriptsAsync(TenantId tenant, string words, int limit, CancellationToken ct);

    /// <summary>
    /// Live Accounts, Contacts and unconverted Leads whose Phone or MobilePhone has one of these index keys (last 10 digits,
    /// <see cref="Duplicates.DuplicateKeys.Phone"/>): one index seek per phone column, never a scan of the tenant's records.
    /// </summary>
    Task<IReadOnlyList<Duplicates.DuplicateCandidate>> FindByPhoneKeysAsync(TenantId tenant, IReadOnlyCollection<string> keys, int limit, CancellationToken ct);

    /// <summary>The call's row as it stands, or null.</summary>
    Task<VoiceCall?> GetCallAsync(TenantId tenant, string callSid, CancellationToken ct);
}
