using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Automation;

/// <summary>
/// A rule as stored: its JSON definition as the tenant sent it (re-read against the current schema each
/// time it runs) and the trigger columns the runner matches changes with before reading anything else.
/// </summary>
/// <param name="CreatedBy">The user who made the rule: its writes carry this user as actor, with the rule's name.</param>
public sealed record AutomationRule(
    string Id,
    TenantId Tenant,
    string Name,
    string Object,
    RuleTrigger Trigger,
    string Definition,
    bool Enabled,
    string CreatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    /// <summary>A scheduled rule's next fire (UTC), while it is enabled; null for rules that follow changes.</summary>
    public DateTime? NextFireAt { get; init; }
}
