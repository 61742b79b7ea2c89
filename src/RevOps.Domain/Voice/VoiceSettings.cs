namespace RevOps.Domain.Voice;

/// <summary>What happens to a call whose other party matches no Contact or Lead of the tenant.</summary>
public enum UnmatchedCalls
{
    /// <summary>A Lead is created for the number and the call is logged on it.</summary>
    CreateLead,
    /// <summary>The call is logged with no WhoId; its Subject names the number.</summary>
    LogUnmatched,
}

/// <summary>
/// A tenant's voice settings: the region phone numbers without a country code are read in (ISO 3166 code,
/// e.g. US, GB), what to do with unknown callers, and who owns calls no user's number took (null: the org's
/// default user, who also acts for the integration).
/// </summary>
public sealed record VoiceSettings(string DefaultRegion, UnmatchedCalls Unmatched, string? DefaultOwnerId)
{
    public static VoiceSettings Default { get; } = new("US", UnmatchedCalls.CreateLead, null);

    public static string Text(UnmatchedCalls unmatched) => unmatched == UnmatchedCalls.CreateLead ? "lead" : "log";

    public static UnmatchedCalls? ParseUnmatched(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "lead" or "create_lead" => UnmatchedCalls.CreateLead,
        "log" or "unmatched" => UnmatchedCalls.LogUnmatched,
        _ => null,
    };
}
