namespace RevOps.Domain.Pipeline;

/// <summary>What a caller narrows a pipeline summary to, as sent (checked by <see cref="PipelineService"/>).</summary>
/// <param name="CloseFrom">YYYY-MM-DD or a SOQL date literal (its first day); alone, a literal means its whole range.</param>
/// <param name="CloseTo">YYYY-MM-DD or a SOQL date literal (its last day).</param>
/// <param name="OwnerId">"me" or a User Id.</param>
/// <param name="Top">How many of the biggest open deals to list beside the buckets (0: none).</param>
public sealed record PipelineOptions(string? CloseFrom = null, string? CloseTo = null, string? OwnerId = null, IReadOnlyList<string>? Stages = null, int Top = 0)
{
    public const int MaxTop = 50;
}

/// <summary>One of the biggest open deals a summary lists.</summary>
public sealed record PipelineDeal(string Id, string? Name, double Amount, string? StageName, DateOnly? CloseDate, string? OwnerId, string? OwnerName);
