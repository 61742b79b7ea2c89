using RevOps.Domain.Metadata;

namespace RevOps.Domain.Automation;

/// <summary>A rule's JSON, parsed and checked against the tenant's schema.</summary>
public sealed record RuleDefinition(
    string Name,
    ObjectMetadata Object,
    RuleTrigger Trigger,
    string? Condition,
    IReadOnlyList<RuleAction> Actions,
    string? Description)
{
    /// <summary>The record paths the actions' merge fields read (e.g. OwnerId, Account.Name).</summary>
    public IReadOnlyList<string> MergePaths => Actions
        .SelectMany(a => a.Fields.Select(f => f.Value))
        .SelectMany(MergeFields.PathsIn)
        .Concat(Actions.Where(a => a.Parent is not null).Select(a => a.Parent!))
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .ToList();
}
