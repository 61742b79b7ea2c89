namespace RevOps.Domain.Duplicates;

/// <summary>A tenant's duplicate rules: every rule's action, <see cref="DuplicateAction.Report"/> unless the tenant set another.</summary>
public sealed class DuplicateRuleSet
{
    readonly Dictionary<string, DuplicateAction> _actions;

    public DuplicateRuleSet(IReadOnlyDictionary<string, DuplicateAction> stored)
    {
        _actions = DuplicateRule.All.ToDictionary(r => r, r => stored.TryGetValue(r, out var a) ? a : DuplicateAction.Report, StringComparer.Ordinal);
    }

    public static DuplicateRuleSet Default { get; } = new(new Dictionary<string, DuplicateAction>());

    public DuplicateAction this[string rule] => _actions.TryGetValue(rule, out var action) ? action : DuplicateAction.Off;

    /// <summary>True when some rule refuses a duplicate by default (REST writes are checked only then, unless the caller asks).</summary>
    public bool AnyBlocking => _actions.Values.Any(a => a == DuplicateAction.Block);

    /// <summary>The rules to check: every rule that is on, or with <paramref name="blockingOnly"/> the blocking ones.</summary>
    public IReadOnlyList<string> Checked(bool blockingOnly) =>
        DuplicateRule.All.Where(r => blockingOnly ? this[r] == DuplicateAction.Block : this[r] != DuplicateAction.Off).ToArray();
}
