namespace RevOps.Domain.Pipeline;

/// <summary>
/// Opportunities grouped under one key (a stage, a close month, won, lost): how many, the sum of
/// their Amounts, and the sum of Amount × Probability / 100. Missing Amounts count as 0.
/// </summary>
public sealed record PipelineBucket(string Key, int Count, double Amount, double WeightedAmount);
