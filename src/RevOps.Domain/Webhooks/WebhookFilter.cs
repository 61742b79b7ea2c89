namespace RevOps.Domain.Webhooks;

/// <summary>
/// Which changes a subscription receives. Each list is "any of these"; a null list lets every
/// value through. Fields match a change that touches (has before/after for) at least one of them.
/// </summary>
public sealed record WebhookFilter(IReadOnlyList<string>? Objects, IReadOnlyList<string>? Operations, IReadOnlyList<string>? Fields)
{
    public static WebhookFilter All { get; } = new(null, null, null);

    public bool Matches(string obj, string operation, IEnumerable<string> changedFields)
    {
        if (Objects is not null && !Objects.Contains(obj, StringComparer.OrdinalIgnoreCase)) return false;
        if (Operations is not null && !Operations.Contains(operation, StringComparer.Ordinal)) return false;
        return Fields is null || changedFields.Any(f => Fields.Contains(f, StringComparer.OrdinalIgnoreCase));
    }
}
